import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { BadRequestException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { DiscoveryService } from '@nestjs/core';
import type { appConfig } from '../config';
import { SecretsService } from '../secrets/secrets.service';
import { DebugPlugin } from './debug/debug.plugin';
import { DEBUG_PARAMS_SCHEMA } from './debug/debug-params';
import { PluginRegistry } from './plugin-registry.service';
import { openSecretParam } from './secret-params';

const secrets = new SecretsService({ key: randomBytes(32) }, {
  dataDir: tmpdir(),
} as ConfigType<typeof appConfig>);

function registry(): PluginRegistry {
  const discovery = {
    getProviders: () => [{ metatype: DebugPlugin }, { metatype: class NotAPlugin {} }],
  };
  const r = new PluginRegistry(discovery as unknown as DiscoveryService, secrets);
  r.onModuleInit();
  return r;
}

function reasons(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    const message = ((error as BadRequestException).getResponse() as { message: string | string[] })
      .message;
    return Array.isArray(message) ? message : [message];
  }
  throw new Error('expected a 400');
}

describe('PluginRegistry', () => {
  it('discovers decorated providers only', () => {
    expect(registry().list()).toEqual([
      {
        id: 'debug',
        name: 'Debug',
        description: expect.any(String),
        paramsSchema: DEBUG_PARAMS_SCHEMA,
      },
    ]);
  });

  it('applies the schema defaults', () => {
    expect(registry().validateParams('debug', { action: 'emit', count: 5 })).toEqual({
      action: 'emit',
      count: 5,
      sources: ['debug'],
      intervalMs: 0,
      payloadBytes: 80,
      yield: true,
    });
  });

  it('names every problem', () => {
    const r = registry();
    expect(reasons(() => r.validateParams('nope', {}))[0]).toMatch(/unknown plugin "nope"/);
    expect(reasons(() => r.validateParams('debug', [1]))).toEqual(['params must be a JSON object']);
    expect(
      reasons(() => r.validateParams('debug', { action: 'emit', count: 0, extra: 1 })),
    ).toEqual(
      expect.arrayContaining([
        'params/count must be >= 1',
        'params must not have the property "extra"',
      ]),
    );
    expect(reasons(() => r.validateParams('debug', { action: 'emit' }))).toEqual([
      "params must have required property 'count'",
    ]);
    expect(reasons(() => r.validateParams('debug', { action: 'dance' }))[0]).toMatch(
      /params\/action must be one of emit, sleep, fail, system/,
    );
    expect(
      reasons(() => r.validateParams('debug', { action: 'fail', message: 'x'.repeat(70_000) }))[0],
    ).toMatch(/must not exceed/);
  });

  it('accepts the reference keyword, checks its shape, and checks uuid fields', () => {
    const r = registry();
    const metadata = (paramsSchema: object) => ({
      id: 'x',
      name: 'X',
      description: 'x',
      paramsSchema,
    });
    class Refs {}
    r.register(
      metadata({
        type: 'object',
        properties: {
          environmentId: {
            type: 'string',
            format: 'uuid',
            'x-taskdeck-ref': { kind: 'environment' },
          },
          datasetId: {
            type: 'integer',
            'x-taskdeck-ref': { kind: 'dataset', environmentField: 'environmentId' },
          },
        },
      }),
      Refs as never,
    );
    expect(
      r.validateParams('x', {
        environmentId: '6f1c0b2e-7d4a-4b8e-9c1d-2a3b4c5d6e7f',
        datasetId: 3,
      }),
    ).toEqual({
      environmentId: '6f1c0b2e-7d4a-4b8e-9c1d-2a3b4c5d6e7f',
      datasetId: 3,
    });
    expect(reasons(() => r.validateParams('x', { environmentId: 'nope' }))).toEqual([
      'params/environmentId must match format "uuid"',
    ]);
    expect(() =>
      registry().register(
        metadata({
          type: 'object',
          properties: { a: { type: 'string', 'x-taskdeck-ref': { kind: 'planet' } } },
        }),
        Refs as never,
      ),
    ).toThrow(/x-taskdeck-ref/);
  });

  it('does not let validation change the caller’s object', () => {
    const params = { action: 'emit', count: 1 };
    registry().validateParams('debug', params);
    expect(params).toEqual({ action: 'emit', count: 1 });
  });

  it('runs the plugin’s own check after the schema and lists its problems as the 400', () => {
    const r = registry();
    class Checked {}
    r.register(
      {
        id: 'checked',
        name: 'Checked',
        description: 'x',
        paramsSchema: {
          type: 'object',
          required: ['pattern'],
          properties: { pattern: { type: 'string' } },
        },
        checkParams: (params) =>
          params.pattern === '(' ? ['params/pattern is not a valid regular expression'] : [],
      },
      Checked as never,
    );
    expect(reasons(() => r.validateParams('checked', { pattern: '(' }))).toEqual([
      'params/pattern is not a valid regular expression',
    ]);
    // The schema speaks first: the check never sees params that fail it.
    expect(reasons(() => r.validateParams('checked', {}))).toEqual([
      "params must have required property 'pattern'",
    ]);
    expect(r.validateParams('checked', { pattern: 'a+' })).toEqual({ pattern: 'a+' });
    expect(r.list().find((p) => p.id === 'checked')).not.toHaveProperty('checkParams');
  });

  it('seals writeOnly params: the stored params hold ciphertext, the plugin opens it', () => {
    const r = registry();
    class WithSecrets {}
    r.register(
      {
        id: 'secretive',
        name: 'Secretive',
        description: 'x',
        paramsSchema: {
          type: 'object',
          properties: {
            user: { type: 'string' },
            password: { type: 'string', writeOnly: true },
            passwords: {
              type: 'object',
              additionalProperties: { type: 'string' },
              writeOnly: true,
            },
          },
        },
      },
      WithSecrets as never,
    );
    const params = r.validateParams('secretive', {
      user: 'u',
      password: 'hunter2',
      passwords: { a: 'pw-a', b: 'sealed:looks-sealed' },
    });
    const text = JSON.stringify(params);
    expect(text).not.toMatch(/hunter2|pw-a|looks-sealed/);
    expect(params.user).toBe('u');
    const passwords = params.passwords as Record<string, string>;
    expect(Object.keys(passwords)).toEqual(['a', 'b']);
    expect(openSecretParam(params.password as string, secrets)).toBe('hunter2');
    expect(openSecretParam(passwords.a, secrets)).toBe('pw-a');
    expect(openSecretParam(passwords.b, secrets)).toBe('sealed:looks-sealed');
    expect(openSecretParam('plain', secrets)).toBe('plain');
  });

  it('keeps a retry policy off the plugin list and refuses one out of bounds', () => {
    const r = registry();
    expect(r.get('debug')?.retry).toBeNull();
    const metadata = { id: 'flaky', name: 'Flaky', description: 'd', paramsSchema: {} };
    r.register({ ...metadata, retry: { attempts: 3, delaySeconds: 5 } }, DebugPlugin);
    expect(r.get('flaky')?.retry).toEqual({ attempts: 3, delaySeconds: 5 });
    expect(r.list().find((p) => p.id === 'flaky')).toEqual(metadata);
    for (const attempts of [1, 11, 2.5]) {
      expect(() =>
        r.register({ ...metadata, id: `flaky-${attempts}`, retry: { attempts } }, DebugPlugin),
      ).toThrow(/retry.attempts must be an integer from 2 to 10/);
    }
  });
});
