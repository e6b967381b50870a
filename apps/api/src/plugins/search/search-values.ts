// What a search looks at in a dataset (or chart) and how a match is reported. Pure.
import type { SearchField, SearchMatch } from '@taskdeck/contracts';
import type { ChartListItem, DatasetDetail } from '../../superset/client/superset-types';
import type { ValueMatch } from './regex-matcher';

/** Characters of context on each side of a match. */
export const CONTEXT_CHARS = 40;

export interface SearchedValue {
  field: string;
  value: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** A dataset's values in the fields asked for: SQL, column and metric names and expressions. */
export function datasetValues(
  dataset: DatasetDetail,
  fields: readonly SearchField[],
): SearchedValue[] {
  const out: SearchedValue[] = [];
  const push = (field: string, value: unknown): void => {
    const v = text(value);
    if (v !== undefined) out.push({ field, value: v });
  };
  if (fields.includes('sql')) push('sql', dataset.sql);
  if (fields.includes('columns')) {
    for (const c of dataset.columns) {
      push(`columns.${c.column_name}`, c.column_name);
      push(`columns.${c.column_name}.expression`, c.expression);
    }
  }
  if (fields.includes('metrics')) {
    for (const m of dataset.metrics) {
      push(`metrics.${m.metric_name}`, m.metric_name);
      push(`metrics.${m.metric_name}.expression`, m.expression);
    }
  }
  return out;
}

export function chartValues(chart: ChartListItem): SearchedValue[] {
  const params = text(chart.params);
  return params ? [{ field: `charts.${chart.id}.params`, value: params }] : [];
}

/** One result per match: the match with about CONTEXT_CHARS on each side, and the whole value. */
export function toMatches(
  where: { datasetId: number; datasetName: string; chartId?: number; chartName?: string },
  searched: SearchedValue,
  matches: ValueMatch[],
): SearchMatch[] {
  return matches.map(({ index, length }) => {
    const start = Math.max(0, index - CONTEXT_CHARS);
    const end = Math.min(searched.value.length, index + length + CONTEXT_CHARS);
    return {
      datasetId: where.datasetId,
      datasetName: where.datasetName,
      field: searched.field,
      matchContext: searched.value.slice(start, end),
      fullValue: searched.value,
      matchStart: index - start,
      matchLength: length,
      ...(where.chartId !== undefined
        ? { chartId: where.chartId, chartName: where.chartName }
        : {}),
    };
  });
}
