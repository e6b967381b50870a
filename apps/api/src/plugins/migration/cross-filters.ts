// Native filters and cross-filters in a dashboard's json_metadata name charts by id, and ids
// differ between Supersets. Superset's import rewrites some of those references (scope.excluded,
// chart_configuration's keys) but not `chartsInScope` (6.1), so after an import they still name
// the source's charts. These pure functions rebuild every chart reference of the imported
// dashboard from the exported (source) metadata: source id → chart uuid (the export's position)
// → target id (the target's chart list). A chart the target does not have is dropped from a list.

type Json = Record<string, unknown>;

/** Chart uuid → chart id, from a dashboard's position (CHART nodes carry `meta.chartId/uuid`). */
export function chartIdsByUuid(position: Json): Map<string, number> {
  const ids = new Map<string, number>();
  for (const node of Object.values(position)) {
    const n = node as { type?: unknown; meta?: { chartId?: unknown; uuid?: unknown } } | null;
    if (n?.type !== 'CHART' || typeof n.meta?.uuid !== 'string') continue;
    const id = Number(n.meta.chartId);
    if (Number.isInteger(id)) ids.set(n.meta.uuid, id);
  }
  return ids;
}

/** Source chart id → target chart id, through the chart uuids; `missing`: source ids without one. */
export function chartIdMap(
  sourcePosition: Json,
  targetIdsByUuid: ReadonlyMap<string, number>,
): { map: Map<number, number>; missing: number[] } {
  const map = new Map<number, number>();
  const missing: number[] = [];
  for (const [uuid, sourceId] of chartIdsByUuid(sourcePosition)) {
    const targetId = targetIdsByUuid.get(uuid);
    if (targetId === undefined) missing.push(sourceId);
    else map.set(sourceId, targetId);
  }
  return { map, missing };
}

export interface ChartRefsRewrite {
  metadata: Json;
  /** Something differs from the target's metadata as it was (worth a dashboard update). */
  changed: boolean;
  /** Source chart ids referenced in the metadata that have no chart on the target. */
  dropped: number[];
}

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The target's metadata with every chart reference rebuilt from the source's: native filters'
 * `chartsInScope` and `scope.excluded` (matched by filter id), `chart_configuration` (keys, `id`,
 * `crossFilters.chartsInScope`, `crossFilters.scope.excluded`) and `global_chart_configuration`
 * (`chartsInScope`, `scope.excluded`). Everything else is the target's, e.g. the filters' dataset
 * ids, which Superset's import set already.
 */
export function rewriteChartRefs(
  targetMetadata: Json,
  sourceMetadata: Json,
  idMap: ReadonlyMap<number, number>,
): ChartRefsRewrite {
  const dropped = new Set<number>();
  const ids = (list: unknown): number[] | undefined => {
    if (!Array.isArray(list)) return undefined;
    const out: number[] = [];
    for (const raw of list) {
      const id = idMap.get(Number(raw));
      if (id === undefined) dropped.add(Number(raw));
      else out.push(id);
    }
    return out;
  };
  const metadata = structuredClone(targetMetadata);

  const sourceFilters = new Map<string, Json>();
  for (const filter of asArray(sourceMetadata.native_filter_configuration)) {
    if (isObject(filter) && typeof filter.id === 'string') sourceFilters.set(filter.id, filter);
  }
  for (const filter of asArray(metadata.native_filter_configuration)) {
    if (!isObject(filter) || typeof filter.id !== 'string') continue;
    const source = sourceFilters.get(filter.id);
    if (!source) continue;
    const inScope = ids(source.chartsInScope);
    if (inScope) filter.chartsInScope = inScope;
    const excluded = isObject(source.scope) ? ids(source.scope.excluded) : undefined;
    if (excluded && isObject(filter.scope)) filter.scope.excluded = excluded;
  }

  if (isObject(sourceMetadata.chart_configuration)) {
    const rebuilt: Json = {};
    for (const [key, value] of Object.entries(sourceMetadata.chart_configuration)) {
      const id = idMap.get(Number(key));
      if (id === undefined) {
        dropped.add(Number(key));
        continue;
      }
      const config = isObject(value) ? structuredClone(value) : {};
      config.id = id;
      if (isObject(config.crossFilters)) {
        const inScope = ids(config.crossFilters.chartsInScope);
        if (inScope) config.crossFilters.chartsInScope = inScope;
        const scope = config.crossFilters.scope;
        if (isObject(scope)) {
          const excluded = ids(scope.excluded);
          if (excluded) scope.excluded = excluded;
        }
      }
      rebuilt[String(id)] = config;
    }
    metadata.chart_configuration = rebuilt;
  }

  const sourceGlobal = sourceMetadata.global_chart_configuration;
  if (isObject(sourceGlobal) && isObject(metadata.global_chart_configuration)) {
    const global = metadata.global_chart_configuration;
    const inScope = ids(sourceGlobal.chartsInScope);
    if (inScope) global.chartsInScope = inScope;
    const excluded = isObject(sourceGlobal.scope) ? ids(sourceGlobal.scope.excluded) : undefined;
    if (excluded && isObject(global.scope)) global.scope.excluded = excluded;
  }

  return {
    metadata,
    changed: JSON.stringify(metadata) !== JSON.stringify(targetMetadata),
    dropped: [...dropped].filter((id) => !Number.isNaN(id)).sort((a, b) => a - b),
  };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
