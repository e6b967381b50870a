// One row of the results table: a figure, its same-run baseline, the ratio and the verdict.
import { summarize, type Summary } from './stats';

/**
 * N/A (QUICK): a target that only means something at the full run's sizes (e.g. a ratio to OFFSET
 * at a depth --quick does not reach) was missed in a quick run; every other part of it passed.
 */
export type Verdict = 'PASS' | 'FAIL' | 'INFO' | 'NOT MEASURED' | 'N/A (QUICK)';

/**
 * What the ratio divides: the medians, the p95s (for a rate, the slow tails), or totals pooled over
 * the runs (given by the figure, e.g. CPU time summed over runs ÷ entries summed over runs).
 */
export type RatioBasis = 'median' | 'p95' | 'pooled';

export interface FigureResult {
  id: string;
  title: string;
  unit: string;
  value: Summary | null;
  baselineTitle: string;
  baseline: Summary | null;
  /** value ÷ baseline, of the medians or of the p95s (ratioBasis). */
  ratio: number | null;
  ratioBasis: RatioBasis;
  target: string;
  verdict: Verdict;
  /** How it was measured, what the numbers mean, why it failed. */
  notes: string[];
  /** Raw per-run values and anything else worth keeping (plans, counts). */
  details?: Record<string, unknown>;
}

export interface FigureInput {
  id: string;
  title: string;
  unit: string;
  values: readonly number[];
  baselineTitle?: string;
  baselineValues?: readonly number[];
  target: string;
  /** A rate: p95 is then the slow tail (5th percentile). */
  higherIsBetter?: boolean;
  /** The ratio of the p95s instead of the medians; 'pooled' takes pooledRatio. */
  ratioBasis?: RatioBasis;
  pooledRatio?: number;
  /** Decides PASS/FAIL from the summaries; absent: INFO. 'n/a' only where the sizes make the target meaningless. */
  judge?: (value: Summary, baseline: Summary | null, ratio: number | null) => boolean | 'n/a';
  notes?: string[];
  details?: Record<string, unknown>;
}

export function figure(input: FigureInput): FigureResult {
  const value = summarize(input.values, input.higherIsBetter);
  const baseline = input.baselineValues?.length
    ? summarize(input.baselineValues, input.higherIsBetter)
    : null;
  const ratioBasis = input.ratioBasis ?? 'median';
  const ratio =
    ratioBasis === 'pooled'
      ? (input.pooledRatio ?? null)
      : baseline && baseline[ratioBasis] !== 0
        ? value[ratioBasis] / baseline[ratioBasis]
        : null;
  const judged = input.judge ? input.judge(value, baseline, ratio) : null;
  const verdict: Verdict =
    judged === null ? 'INFO' : judged === 'n/a' ? 'N/A (QUICK)' : judged ? 'PASS' : 'FAIL';
  return {
    id: input.id,
    title: input.title,
    unit: input.unit,
    value,
    baselineTitle: input.baselineTitle ?? '—',
    baseline,
    ratio,
    ratioBasis,
    target: input.target,
    verdict,
    notes: input.notes ?? [],
    details: { values: input.values, baselineValues: input.baselineValues ?? [], ...input.details },
  };
}

export function notMeasured(
  id: string,
  title: string,
  target: string,
  reason: string,
): FigureResult {
  return {
    id,
    title,
    unit: '',
    value: null,
    baselineTitle: '—',
    baseline: null,
    ratio: null,
    ratioBasis: 'median',
    target,
    verdict: 'NOT MEASURED',
    notes: [`not measured: ${reason}`],
  };
}
