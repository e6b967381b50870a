// What the model is told besides the screenshot, what it must answer, and how its verdict and the
// facts are merged. Pure.
import type { ValidationIssue, ValidationStatus } from '@taskdeck/contracts';
import type { JsonSchemaObject } from '../../llm/llm-json';
import type { ActionLogEntry } from '../../superset/client/superset-types';

export interface ChartFact {
  id: number;
  name: string;
  vizType?: string;
  ok: boolean;
  status: number;
  rows?: number;
  error?: string;
  /** Why the data could not be checked (e.g. a chart saved without a query context). */
  unchecked?: string;
}

export interface LogFacts {
  since: string;
  entries: number;
  views: number;
  errors: { action: string; dttm: string; chartId: number | null; text: string }[];
}

export interface ValidationVerdict {
  status: ValidationStatus;
  issues: ValidationIssue[];
}

export const VERDICT_SCHEMA: JsonSchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'issues'],
  properties: {
    status: { type: 'string', enum: ['PASS', 'WARN', 'FAIL'] },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['severity', 'message', 'location'],
        properties: {
          severity: { type: 'string', enum: ['info', 'warning', 'error'] },
          message: { type: 'string', minLength: 1, maxLength: 1000 },
          location: { type: 'string', maxLength: 200 },
        },
      },
    },
  },
};

export const VALIDATION_SYSTEM_PROMPT = [
  'You check Apache Superset dashboards for a BI team.',
  'You get a full-page screenshot of the dashboard and a summary of its charts, their data requests and recent errors.',
  'Look for charts that show an error, stay empty or show "No results", look broken or unreadable (overlapping labels, cut-off legends), and for misleading displays.',
  'status: FAIL when a chart errors or shows no data it should have; WARN for problems a user would notice but that do not hide data; PASS otherwise.',
  'Each issue: severity (info, warning, error), a one-sentence message, and its location (the chart name, or "dashboard").',
].join('\n');

/** Log entries of the last 24 h about this dashboard or its charts, errors picked out. */
export function logFacts(
  entries: ActionLogEntry[],
  dashboardId: number,
  chartIds: Set<number>,
  now: Date,
): LogFacts {
  const since = new Date(now.getTime() - 24 * 3600_000);
  const relevant = entries.filter(
    (e) =>
      new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(e.dttm) ? e.dttm : `${e.dttm}Z`) >= since &&
      (e.dashboard_id === dashboardId || (e.slice_id !== null && chartIds.has(e.slice_id))),
  );
  const errors = relevant
    .filter((e) => /error|exception|fail/i.test(`${e.action} ${e.json ?? ''}`))
    .slice(0, 20)
    .map((e) => ({
      action: e.action,
      dttm: e.dttm,
      chartId: e.slice_id,
      text: (e.json ?? '').slice(0, 300),
    }));
  return {
    since: since.toISOString(),
    entries: relevant.length,
    views: relevant.filter((e) => /dashboard|log/i.test(e.action) && e.dashboard_id === dashboardId)
      .length,
    errors,
  };
}

export function summaryText(
  dashboard: { id: number; title: string },
  charts: ChartFact[],
  log: LogFacts | undefined,
  image: { width: number; height: number },
): string {
  const lines = [
    `Dashboard "${dashboard.title}" (id ${dashboard.id}), screenshot ${image.width}×${image.height} px.`,
    `Charts (${charts.length}):`,
  ];
  // In id order: Superset lists a dashboard's charts in its metadata database's row order, and the
  // same dashboard should give the model the same text.
  for (const chart of [...charts].sort((x, y) => x.id - y.id)) {
    const state = chart.unchecked
      ? `data not checked (${chart.unchecked})`
      : chart.ok
        ? `data OK (${chart.rows ?? 0} rows)`
        : `DATA REQUEST FAILED (HTTP ${chart.status}): ${chart.error ?? 'no message'}`;
    lines.push(
      `- "${chart.name}" (id ${chart.id}${chart.vizType ? `, ${chart.vizType}` : ''}): ${state}`,
    );
  }
  if (log) {
    lines.push(
      `Superset's log since ${log.since}: ${log.entries} entries about this dashboard, ${log.errors.length} error(s).`,
    );
    for (const e of log.errors.slice(0, 10)) {
      lines.push(`- ${e.dttm} ${e.action}${e.chartId ? ` chart ${e.chartId}` : ''}: ${e.text}`);
    }
  } else {
    lines.push("Superset's log could not be read.");
  }
  return lines.join('\n');
}

const RANK: Record<ValidationStatus, number> = { PASS: 0, WARN: 1, FAIL: 2 };

/**
 * The model's verdict, with the facts it cannot overrule: every chart whose data request failed is
 * an error issue (added when the model did not name it) and makes the status FAIL.
 */
export function mergeVerdict(verdict: ValidationVerdict, charts: ChartFact[]): ValidationVerdict {
  const issues = [...verdict.issues];
  let status = verdict.status;
  for (const chart of charts.filter((c) => !c.ok)) {
    const named = issues.some(
      (i) => i.location.includes(chart.name) || i.message.includes(chart.name),
    );
    if (!named) {
      issues.push({
        severity: 'error',
        message: `The chart's data request failed: ${chart.error ?? `HTTP ${chart.status}`}`,
        location: chart.name,
      });
    }
    if (RANK[status] < RANK.FAIL) status = 'FAIL';
  }
  return { status, issues };
}

/** A PNG's width and height from its IHDR chunk, or undefined when it is not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  const signature = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== signature) return undefined;
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
