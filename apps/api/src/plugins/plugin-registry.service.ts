import { BadRequestException, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { PluginInfo } from '@taskdeck/contracts';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import {
  TASK_PLUGIN_METADATA,
  type LegacyTaskPlugin,
  type RegisteredPlugin,
  type TaskPlugin,
  type TaskPluginMetadata,
} from './task-plugin';
import type { Type } from '@nestjs/common';

/** Params may not serialise to more than this. */
export const MAX_PARAMS_BYTES = 64 * 1024;

/** The plugins this server has (every provider decorated with @TaskPluginDefinition). */
@Injectable()
export class PluginRegistry implements OnModuleInit {
  private readonly logger = new Logger(PluginRegistry.name);
  private readonly plugins = new Map<string, RegisteredPlugin & { validate: ValidateFunction }>();
  private readonly ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype as Type<TaskPlugin | LegacyTaskPlugin> | undefined;
      if (!type || typeof type !== 'function') continue;
      const metadata = Reflect.getMetadata(TASK_PLUGIN_METADATA, type) as
        TaskPluginMetadata | undefined;
      if (metadata) this.register(metadata, type);
    }
    this.logger.log(`plugins: ${[...this.plugins.keys()].sort().join(', ') || 'none'}`);
  }

  register(metadata: TaskPluginMetadata, type: Type<TaskPlugin | LegacyTaskPlugin>): void {
    if (this.plugins.has(metadata.id)) throw new Error(`two plugins have the id "${metadata.id}"`);
    const { retry, ...info }: TaskPluginMetadata = metadata;
    if (
      retry &&
      !(Number.isInteger(retry.attempts) && retry.attempts >= 2 && retry.attempts <= 10)
    ) {
      throw new Error(`plugin "${metadata.id}": retry.attempts must be an integer from 2 to 10`);
    }
    this.plugins.set(metadata.id, {
      info,
      type,
      retry: retry ?? null,
      validate: this.ajv.compile(metadata.paramsSchema),
    });
  }

  list(): PluginInfo[] {
    return [...this.plugins.values()].map((p) => p.info).sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): RegisteredPlugin | undefined {
    return this.plugins.get(id);
  }

  /**
   * The params a task of this plugin would run with (defaults applied), or a 400 naming every
   * problem: an unknown plugin, a non-object, or a schema violation.
   */
  validateParams(pluginId: string, params: unknown): Record<string, unknown> {
    const plugin = this.plugins.get(pluginId);
    if (!plugin) {
      throw new BadRequestException(
        `unknown plugin "${pluginId}"; known: ${[...this.plugins.keys()].join(', ')}`,
      );
    }
    const given = params ?? {};
    if (typeof given !== 'object' || Array.isArray(given)) {
      throw new BadRequestException('params must be a JSON object');
    }
    const serialised = JSON.stringify(given);
    if (Buffer.byteLength(serialised) > MAX_PARAMS_BYTES) {
      throw new BadRequestException(`params must not exceed ${MAX_PARAMS_BYTES} bytes`);
    }
    const candidate = JSON.parse(serialised) as Record<string, unknown>;
    if (!plugin.validate(candidate)) {
      throw new BadRequestException(describeErrors(plugin.validate.errors ?? []));
    }
    return candidate;
  }
}

function describeErrors(errors: ErrorObject[]): string[] {
  const messages = errors
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const where = `params${e.instancePath}`;
      if (e.keyword === 'additionalProperties') {
        return `${where} must not have the property "${String(e.params.additionalProperty)}"`;
      }
      if (e.keyword === 'enum') {
        return `${where} must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`;
      }
      return `${where} ${e.message ?? 'is invalid'}`;
    });
  return [...new Set(messages)];
}
