// Suggested mappings for source databases, by name: fuzzball's token-sort ratio (TheFuzz's, as a
// percentage: the words of both names sorted, then compared), so "Sales DB (prod)" and "prod
// sales db" score 100. Suggestions are shown pre-filled in the console and stored only when an
// admin saves them.
import { token_sort_ratio } from 'fuzzball';
import type { MigrationDatabaseMatch, SupersetDatabaseSummary } from '@taskdeck/contracts';

/** Below this a name is not similar enough to suggest. */
export const SUGGESTION_THRESHOLD = 60;

export function similarity(a: string, b: string): number {
  return token_sort_ratio(a, b);
}

export function matchDatabases(
  sources: SupersetDatabaseSummary[],
  targets: SupersetDatabaseSummary[],
  stored: Readonly<Record<string, string>>,
): MigrationDatabaseMatch[] {
  const byUuid = new Map(targets.map((t) => [t.uuid, t]));
  return sources.map((source) => {
    const sameUuid = byUuid.has(source.uuid);
    const mapped = byUuid.get(stored[source.uuid] ?? '') ?? null;
    let suggestion: MigrationDatabaseMatch['suggestion'] = null;
    if (!sameUuid) {
      for (const target of targets) {
        const score = similarity(source.name, target.name);
        if (score >= SUGGESTION_THRESHOLD && (!suggestion || score > suggestion.score)) {
          suggestion = { database: target, score };
        }
      }
    }
    return { source, mapped, sameUuid, suggestion };
  });
}
