import {
  BadRequestException,
  Injectable,
  Logger,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { REF_KEYWORD, REF_KEYWORD_SCHEMA, type PluginInfo } from '@taskdeck/contracts';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SecretsService } from '../secrets/secrets.service';
import {
  taskPluginDefinition,
  type RetryPolicy,
  type TaskPlugin,
  type TaskPluginDefinitionOptions,
} from '../plugin-api/task-plugin';
import { sealSecretParams, secretParamNames } from './secret-params';

/** A registered plugin: what it is, and its class (resolved per task through Nest DI). */
export interface RegisteredPlugin {
  info: PluginInfo;
  type: Type<TaskPlugin>;
  /** Null: not retryable. */
  retry: RetryPolicy | null;
}

/** Params may not serialise to more than this. */
export const MAX_PARAMS_BYTES = 64 * 1024;

/** The plugins this server has (every provider decorated with @TaskPluginDefinition). */
@Injectable()
export class PluginRegistry implements OnModuleInit {
  private readonly logger = new Logger(PluginRegistry.name);
  private readonly plugins = new Map<
    string,
    RegisteredPlugin & {
      validate: ValidateFunction;
      secretParams: string[];
      check?: TaskPluginDefinitionOptions['checkParams'];
    }
  >();
  private readonly ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly secrets: SecretsService,
  ) {
    // Fields that refer to Taskdeck objects carry this keyword (the console makes them pickers);
    // its value is checked when a schema compiles, so a plugin with a malformed ref fails at boot.
    this.ajv.addKeyword({ keyword: REF_KEYWORD, metaSchema: REF_KEYWORD_SCHEMA });
    addFormats(this.ajv, ['uuid']);
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const definition = taskPluginDefinition(wrapper.metatype);
      if (definition) this.register(definition, wrapper.metatype as Type<TaskPlugin>);
    }
    this.logger.log(`plugins: ${[...this.plugins.keys()].sort().join(', ') || 'none'}`);
  }

  register(definition: TaskPluginDefinitionOptions, type: Type<TaskPlugin>): void {
    if (this.plugins.has(definition.id)) {
      throw new Error(`two plugins have the id "${definition.id}"`);
    }
    const { retry, checkParams, ...info } = definition;
    if (
      retry &&
      !(Number.isInteger(retry.attempts) && retry.attempts >= 2 && retry.attempts <= 10)
    ) {
      throw new Error(`plugin "${definition.id}": retry.attempts must be an integer from 2 to 10`);
    }
    this.plugins.set(definition.id, {
      info,
      type,
      retry: retry ?? null,
      validate: this.ajv.compile(definition.paramsSchema),
      secretParams: secretParamNames(definition.paramsSchema),
      check: checkParams,
    });
  }

  list(): PluginInfo[] {
    return [...this.plugins.values()].map((p) => p.info).sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): RegisteredPlugin | undefined {
    return this.plugins.get(id);
  }

  /**
   * The params a task of this plugin would run with (defaults applied, `writeOnly` params sealed),
   * or a 400 naming every problem: an unknown plugin, a non-object, a schema violation, or what the
   * plugin's own `checkParams` finds.
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
    const problems = plugin.check?.(candidate) ?? [];
    if (problems.length) throw new BadRequestException(problems);
    return sealSecretParams(candidate, plugin.secretParams, this.secrets);
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
