// Params a schema marks `writeOnly: true` (e.g. the migration's database passwords) are sealed
// when a task is created: the stored task, every answer that carries its params and the "task
// started" log line hold only ciphertext, and the plugin opens the values it needs when it runs.
// A sealed value is `sealed:<SecretBox text>`; in an object, each string value is sealed on its
// own, so the keys (which databases have a password) stay readable.
import type { JsonSchema } from '@taskdeck/contracts';
import type { SecretsService } from '../secrets/secrets.service';

const PREFIX = 'sealed:';
/** The purpose bound into every sealed param (SecretBox additional data). */
export const SECRET_PARAM_PURPOSE = 'task.param';

/** Top-level params the schema marks as secrets. */
export function secretParamNames(schema: JsonSchema): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, property]) => property.writeOnly === true)
    .map(([name]) => name);
}

function sealValue(value: unknown, seal: (text: string) => string): unknown {
  if (typeof value === 'string') return PREFIX + seal(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, sealValue(v, seal)]),
    );
  }
  return value;
}

/** A copy of `params` with the named params' string values sealed. */
export function sealSecretParams(
  params: Record<string, unknown>,
  names: string[],
  secrets: SecretsService,
): Record<string, unknown> {
  if (!names.some((name) => params[name] !== undefined)) return params;
  const sealed = { ...params };
  for (const name of names) {
    if (sealed[name] !== undefined) {
      sealed[name] = sealValue(sealed[name], (t) => secrets.seal(t, SECRET_PARAM_PURPOSE));
    }
  }
  return sealed;
}

/** The plaintext of a sealed param value; a value that was never sealed is returned as it is. */
export function openSecretParam(value: string, secrets: SecretsService): string {
  return value.startsWith(PREFIX)
    ? secrets.open(value.slice(PREFIX.length), SECRET_PARAM_PURPOSE)
    : value;
}
