// The search's I/O edge: every dataset's detail fetched by a few consumers at once (at most
// `concurrency` requests in flight; the client's limiter bounds it too), its values matched in the
// regex worker, results gathered in dataset order. The signal is checked between items, so a
// cancel stops the run at the next dataset.
import type { SearchField, SearchMatch, SearchResult } from '@taskdeck/contracts';
import type { SupersetClient } from '../../superset/client/superset-client';
import type { DatasetListItem } from '../../superset/client/superset-types';
import type { TaskContext } from '../../plugin-api';
import { RegexMatcher } from './regex-matcher';
import { DEFAULT_SEARCH_FIELDS, searchFlags, type SearchParams } from './search-params';
import { chartValues, datasetValues, toMatches, type SearchedValue } from './search-values';

export interface SearchOptions {
  /** Detail requests in flight at once (4: what one Superset is given; 1: the sequential baseline). */
  concurrency?: number;
  /** Time one value may take the regex engine. */
  budgetMs?: number;
  /** Results kept at most (the count goes on). */
  maxResults?: number;
  /** Values that time out before the run gives up on the pattern. */
  maxSkipped?: number;
}

interface Item {
  datasetId: number;
  datasetName: string;
  chartId?: number;
  chartName?: string;
  values: () => Promise<SearchedValue[]>;
}

export async function searchEnvironment(
  client: SupersetClient,
  params: SearchParams,
  context: TaskContext,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const log = context.logger;
  const fields: SearchField[] = params.fields ?? DEFAULT_SEARCH_FIELDS;
  const maxResults = options.maxResults ?? 5000;
  const maxSkipped = options.maxSkipped ?? 50;
  const datasets = await client.datasets();
  const names = new Map(datasets.map((d) => [d.id, nameOf(d)]));
  const items: Item[] = [];
  if (fields.some((f) => f !== 'charts')) {
    for (const d of datasets) {
      items.push({
        datasetId: d.id,
        datasetName: nameOf(d),
        values: async () => datasetValues(await client.dataset(d.id), fields),
      });
    }
  }
  if (fields.includes('charts')) {
    for (const chart of await client.charts()) {
      const datasetId =
        chart.datasource_type && chart.datasource_type !== 'table' ? 0 : (chart.datasource_id ?? 0);
      items.push({
        datasetId,
        datasetName: names.get(datasetId) ?? '',
        chartId: chart.id,
        chartName: chart.slice_name,
        values: () => Promise.resolve(chartValues(chart)),
      });
    }
  }
  log.info(
    `searching ${datasets.length} dataset(s) for /${params.pattern}/${params.caseSensitive ? '' : ' (case-insensitive)'} in ${fields.join(', ')}`,
    { datasets: datasets.length, items: items.length, fields },
  );

  const matcher = new RegexMatcher(params.pattern, searchFlags(params.caseSensitive), {
    budgetMs: options.budgetMs,
  });
  const found = new Array<SearchMatch[]>(items.length);
  const skipped: SearchResult['skipped'] = [];
  let next = 0;
  let done = 0;
  const consume = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      await context.yield(); // throws on cancel; waits while the task log is behind
      const item = items[i];
      const values = await item.values();
      const outcomes = await matcher.match(values.map((v) => v.value));
      const matches: SearchMatch[] = [];
      outcomes.forEach((outcome, j) => {
        if ('timedOut' in outcome) {
          skipped.push({ datasetId: item.datasetId, field: values[j].field });
          log.warning(
            `dataset ${item.datasetId} "${item.datasetName}", ${values[j].field}: the pattern ran over its ${matcher.budgetMs} ms budget; value skipped`,
            { datasetId: item.datasetId, field: values[j].field, length: values[j].value.length },
          );
        } else {
          matches.push(...toMatches(item, values[j], outcome.matches));
        }
      });
      if (skipped.length > maxSkipped) {
        throw new Error(
          `the pattern ran over its time budget on ${skipped.length} values; it backtracks catastrophically: rewrite it (e.g. without nested quantifiers)`,
        );
      }
      if (matches.length) {
        log.info(
          `${item.chartId !== undefined ? `chart ${item.chartId} "${item.chartName}"` : `dataset ${item.datasetId} "${item.datasetName}"`}: ${matches.length} match(es) in ${[...new Set(matches.map((m) => m.field))].join(', ')}`,
        );
      }
      found[i] = matches;
      done++;
      context.progress(Math.floor((done * 100) / items.length));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, consume));
  } finally {
    await matcher.close();
  }
  const all = found.flat();
  log.info(
    `${all.length} match(es) in ${found.filter((m) => m.length).length} of ${items.length} item(s)${skipped.length ? `; ${skipped.length} value(s) skipped` : ''}`,
  );
  context.progress(100);
  return {
    count: all.length,
    results: all.slice(0, maxResults),
    skipped,
    truncated: all.length > maxResults,
  };
}

function nameOf(dataset: DatasetListItem): string {
  return dataset.schema ? `${dataset.schema}.${dataset.table_name}` : dataset.table_name;
}
