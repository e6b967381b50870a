// Which dataset columns get which verbose_name and description from the table's comments. Pure:
// the whole column list goes back to Superset (it deletes what a PUT leaves out), changed where a
// comment says so; without `overwrite` a column keeps a verbose name or description it has.
import type { MapperColumnChange } from '@taskdeck/contracts';
import type { DatasetColumn } from '../../superset/client/superset-types';
import { labelsFromComment } from './column-comments';

export interface ColumnPlan {
  /** Every column of the dataset, in its order, changed where planned. */
  columns: DatasetColumn[];
  /** Columns the table has a comment for: before and after. */
  changes: (MapperColumnChange & { changed: boolean })[];
  /** Physical dataset columns the table does not have. */
  missing: string[];
}

const blank = (value: string | null | undefined): boolean => !value || !value.trim();

export function planColumns(
  columns: DatasetColumn[],
  comments: ReadonlyMap<string, string | null>,
  overwrite: boolean,
): ColumnPlan {
  const changes: ColumnPlan['changes'] = [];
  const missing: string[] = [];
  const next = columns.map((column) => {
    if (!comments.has(column.column_name)) {
      // A calculated column (an expression) is not in the table by nature.
      if (blank(column.expression)) missing.push(column.column_name);
      return column;
    }
    const labels = labelsFromComment(comments.get(column.column_name) ?? '');
    if (!labels) return column;
    const previousVerboseName = column.verbose_name ?? null;
    const previousDescription = column.description ?? null;
    const verboseName =
      overwrite || blank(previousVerboseName) ? labels.verboseName : previousVerboseName;
    const description =
      overwrite || blank(previousDescription) ? labels.description : previousDescription;
    const changed = verboseName !== previousVerboseName || description !== previousDescription;
    changes.push({
      column: column.column_name,
      verboseName,
      description,
      previousVerboseName,
      previousDescription,
      changed,
    });
    return changed ? { ...column, verbose_name: verboseName, description } : column;
  });
  return { columns: next, changes, missing };
}
