import { Matches } from 'class-validator';

/** A plugin id's shape, wherever a request names a plugin (a task, a schedule, a task filter). */
export const PLUGIN_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * The field must be a plugin id: anything else (a NUL, an upper-case letter, 65 characters) is a
 * 400, never a query PostgreSQL refuses.
 */
export function IsPluginId(): PropertyDecorator {
  return Matches(PLUGIN_ID_PATTERN, { message: 'pluginId must be a plugin id such as "debug"' });
}
