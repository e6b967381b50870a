import type { JsonSchema } from '@taskdeck/contracts';

export const SCREENSHOT_STRATEGIES = ['browser', 'superset'] as const;
export type ScreenshotStrategy = (typeof SCREENSHOT_STRATEGIES)[number];

export interface ValidationParams {
  environmentId: string;
  dashboardId: number;
  providerId?: string;
  strategy?: ScreenshotStrategy;
}

export const VALIDATION_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['environmentId', 'dashboardId'],
  properties: {
    environmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Environment',
      description: 'the Superset that holds the dashboard',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    dashboardId: {
      type: 'integer',
      minimum: 1,
      title: 'Dashboard',
      description: 'the dashboard to check',
      'x-taskdeck-ref': { kind: 'dashboard', environmentField: 'environmentId' },
    },
    providerId: {
      type: 'string',
      format: 'uuid',
      title: 'LLM provider',
      description: 'a multimodal model that judges the screenshot (default: the default provider)',
      'x-taskdeck-ref': { kind: 'llm-provider' },
    },
    strategy: {
      type: 'string',
      enum: [...SCREENSHOT_STRATEGIES],
      default: 'browser',
      title: 'Screenshot',
      description:
        'browser: a headless Chromium logs into Superset and takes it; superset: Superset’s own screenshot API (where enabled)',
    },
  },
};
