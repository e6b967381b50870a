// Reads one environment variable as a typed setting; a wrong value stops the start and names it.
export class InvalidSettingError extends Error {
  constructor(name: string, value: string, expected: string) {
    super(`Invalid setting ${name}=${JSON.stringify(value)}: expected ${expected}`);
    this.name = 'InvalidSettingError';
  }
}

type Env = Record<string, string | undefined>;

export function envString(env: Env, name: string, fallback: string): string;
export function envString(env: Env, name: string): string | undefined;
export function envString(env: Env, name: string, fallback?: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

export function envInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidSettingError(name, raw, `an integer from ${min} to ${max}`);
  }
  return value;
}

export function envUrl(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = envString(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidSettingError(name, '<hidden>', `a URL (${protocols.join(', ')})`);
  }
  if (!protocols.includes(url.protocol.replace(/:$/, ''))) {
    throw new InvalidSettingError(
      name,
      url.protocol,
      `a URL with scheme ${protocols.join(' or ')}`,
    );
  }
  return raw;
}
