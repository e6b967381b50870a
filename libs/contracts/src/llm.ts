// LLM providers (CONTRACT.md "LLM providers") and the results of the plugins that ask them
// (`dashboard-validation`, `documentation`). The API key is write-only: never returned
// (`hasApiKey` instead).

/** Any OpenAI-compatible chat completions API: `POST {baseUrl}/chat/completions`. */
export interface LlmProvider {
  id: string;
  name: string;
  baseUrl: string;
  model: string;
  isDefault: boolean;
  hasApiKey: boolean;
}

export interface CreateLlmProviderRequest {
  name: string;
  /** e.g. `https://api.example.com/v1`, `http://localhost:11434/v1` (Ollama). */
  baseUrl: string;
  model: string;
  /** Absent or empty: none (a local server). */
  apiKey?: string;
  /** Only one provider is the default: setting it here clears it on the others. */
  isDefault?: boolean;
}

/** Any subset; an `apiKey` replaces the stored one, an empty one removes it, none keeps it. */
export type UpdateLlmProviderRequest = Partial<CreateLlmProviderRequest>;

/** `POST /api/llm/providers/:id/test`: 200 either way; `ok: false` carries a readable sentence. */
export interface LlmProviderTestResult {
  ok: boolean;
  error?: string;
  /** The model that answered, as the provider named it. */
  model?: string;
  /** Round trip of the test question. */
  ms?: number;
}

export const VALIDATION_STATUSES = ['PASS', 'WARN', 'FAIL'] as const;
export type ValidationStatus = (typeof VALIDATION_STATUSES)[number];

export const VALIDATION_SEVERITIES = ['info', 'warning', 'error'] as const;
export type ValidationSeverity = (typeof VALIDATION_SEVERITIES)[number];

export interface ValidationIssue {
  severity: ValidationSeverity;
  message: string;
  /** Where on the dashboard: a chart's name, a tab, "header"… */
  location: string;
}

/** `dashboard-validation`'s result. */
export interface DashboardValidationResult {
  status: ValidationStatus;
  issues: ValidationIssue[];
  /** Relative to the storage root (`screenshots/<env>/<dashboard>-<timestamp>.png`). */
  screenshotPath: string;
  strategy: 'browser' | 'superset';
  dashboard: { id: number; title: string };
  /** Charts whose data request failed, as Superset said it. */
  chartErrors: { chartId: number; chart: string; error: string }[];
  /** The compact text the model got beside the image. */
  summary: string;
}

export interface DocumentationColumn {
  column: string;
  /** The description the column has after the run (or would have, in a dry run). */
  description: string | null;
  /** What Superset had before. */
  previousDescription: string | null;
  /** True when the run sets (or would set) a new description. */
  changed: boolean;
}

/** `documentation`'s result. */
export interface DocumentationResult {
  description: string | null;
  previousDescription: string | null;
  descriptionChanged: boolean;
  columns: DocumentationColumn[];
  written: boolean;
  dryRun: boolean;
  language: string;
  /** Whether sample values were read through Superset's SQL API, and why not when not. */
  samples: { read: boolean; reason?: string };
}

/** A task that failed because the LLM's answer never matched the schema keeps it here. */
export interface LlmRawAnswerFailure {
  rawAnswer: string;
  error: string;
}
