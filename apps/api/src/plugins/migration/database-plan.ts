// What a migration does with each database of the export, decided before anything is imported:
// mapped to a target database (its datasets move there), the same uuid on the target (nothing to
// do), created on the target (a password was given for it), or unmapped, which stops the run.
import type { MigrationDatabaseAction } from '@taskdeck/contracts';

export interface DatabaseRef {
  uuid: string;
  name: string;
}

export interface DatabaseDecision {
  uuid: string;
  name: string;
  action: MigrationDatabaseAction;
  targetUuid: string | null;
  targetName: string | null;
  /** Why, in words (logged under `migration`). */
  reason: string;
}

export interface DatabasePlan {
  decisions: DatabaseDecision[];
  /** Source uuid → target uuid, for the bundle rewrite. */
  remap: Map<string, string>;
  unmapped: DatabaseDecision[];
}

export function planDatabases(
  databases: DatabaseRef[],
  mapping: Readonly<Record<string, string>>,
  targets: DatabaseRef[],
  withPassword: ReadonlySet<string>,
): DatabasePlan {
  const byUuid = new Map(targets.map((t) => [t.uuid, t]));
  const decisions = databases.map((db): DatabaseDecision => {
    const mapped = mapping[db.uuid];
    const base = { uuid: db.uuid, name: db.name };
    if (mapped !== undefined && mapped !== db.uuid) {
      const target = byUuid.get(mapped);
      return target
        ? {
            ...base,
            action: 'mapped',
            targetUuid: target.uuid,
            targetName: target.name,
            reason: `mapped to "${target.name}" (${target.uuid})`,
          }
        : {
            ...base,
            action: 'unmapped',
            targetUuid: mapped,
            targetName: null,
            reason: `its mapping names ${mapped}, which the target does not have`,
          };
    }
    const same = byUuid.get(db.uuid);
    if (same) {
      return {
        ...base,
        action: 'same',
        targetUuid: same.uuid,
        targetName: same.name,
        reason: `the target has it (same uuid, "${same.name}")`,
      };
    }
    if (withPassword.has(db.uuid)) {
      return {
        ...base,
        action: 'create',
        targetUuid: null,
        targetName: null,
        reason: 'new to the target: the import creates it with the password given',
      };
    }
    return {
      ...base,
      action: 'unmapped',
      targetUuid: null,
      targetName: null,
      reason: 'no mapping, no database with its uuid on the target, and no password to create it',
    };
  });
  return {
    decisions,
    remap: new Map(
      decisions.filter((d) => d.action === 'mapped').map((d) => [d.uuid, d.targetUuid!]),
    ),
    unmapped: decisions.filter((d) => d.action === 'unmapped'),
  };
}

/** The sentence a run fails with: every unmapped database by name. */
export function unmappedSentence(unmapped: DatabaseDecision[], targetName: string): string {
  const names = unmapped.map((d) => `"${d.name}" (${d.uuid})`).join(', ');
  return `${unmapped.length} database(s) of the export have no mapping to ${targetName}: ${names}; map them (or give a password to create them) and run again`;
}
