import type { JsonSchema } from '@taskdeck/contracts';

export const DEBUG_ACTIONS = [
  'emit',
  'sleep',
  'fail',
  'system',
  'compare-databases',
  'dataset',
] as const;
export type DebugAction = (typeof DEBUG_ACTIONS)[number];

export interface DebugParams {
  action: DebugAction;
  count?: number;
  sources?: string[];
  intervalMs?: number;
  payloadBytes?: number;
  ratePerSecond?: number;
  yield?: boolean;
  ms?: number;
  message?: string;
  environmentId?: string;
  datasetId?: number;
  sourceEnvironmentId?: string;
  targetEnvironmentId?: string;
}

export const DEBUG_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: {
      type: 'string',
      enum: DEBUG_ACTIONS,
      title: 'Action',
      description:
        'emit: write log entries; sleep: wait; fail: log an error and fail; system: log runtime facts; compare-databases: the databases of two environments side by side; dataset: one dataset as Superset describes it',
    },
    count: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      title: 'Count',
      description: 'emit: how many entries to write',
    },
    sources: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 100 },
      minItems: 1,
      maxItems: 50,
      default: ['debug'],
      title: 'Sources',
      description: 'emit: entry i gets source sources[i % n]',
    },
    intervalMs: {
      type: 'integer',
      minimum: 0,
      maximum: 60_000,
      default: 0,
      title: 'Interval (ms)',
      description: 'emit: pause between entries',
    },
    payloadBytes: {
      type: 'integer',
      minimum: 16,
      maximum: 65_536,
      default: 80,
      title: 'Payload (bytes)',
      description: 'emit: approximate message size',
    },
    ratePerSecond: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      title: 'Rate (entries/s)',
      description: 'emit: pace the entries at this rate (load tests); unset: as fast as possible',
    },
    yield: {
      type: 'boolean',
      default: true,
      title: 'Yield to the log',
      description:
        'emit: await context.yield() after each entry (backpressure: the task goes no faster than its log is stored); false: a producer that ignores backpressure, for load tests of the spill',
    },
    ms: {
      type: 'integer',
      minimum: 0,
      maximum: 86_400_000,
      title: 'Duration (ms)',
      description: 'sleep: how long to wait',
    },
    message: {
      type: 'string',
      minLength: 1,
      maxLength: 10_000,
      title: 'Message',
      description: 'fail: the error to log and fail with',
    },
    environmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Environment',
      description: 'dataset: the Superset to ask',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    datasetId: {
      type: 'integer',
      minimum: 1,
      title: 'Dataset',
      description: 'dataset: which one',
      'x-taskdeck-ref': { kind: 'dataset', environmentField: 'environmentId' },
    },
    sourceEnvironmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Source environment',
      description: 'compare-databases: one side',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    targetEnvironmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Target environment',
      description: 'compare-databases: the other side',
      'x-taskdeck-ref': { kind: 'environment' },
    },
  },
  allOf: [
    { if: { properties: { action: { const: 'emit' } } }, then: { required: ['count'] } },
    { if: { properties: { action: { const: 'sleep' } } }, then: { required: ['ms'] } },
    { if: { properties: { action: { const: 'fail' } } }, then: { required: ['message'] } },
    {
      if: { properties: { action: { const: 'compare-databases' } } },
      then: { required: ['sourceEnvironmentId', 'targetEnvironmentId'] },
    },
    {
      if: { properties: { action: { const: 'dataset' } } },
      then: { required: ['environmentId', 'datasetId'] },
    },
  ],
};
