/**
 * The x columns a view may use, mapped to their column in a store's points table (the same names
 * in DuckDB and ClickHouse). A view names one of these keys; only the mapped constant ever
 * reaches SQL text. No database import here: both stores' query builders use it.
 */
import type { XColumnName } from '../source/m4';

export const X_COLUMNS: Readonly<Record<XColumnName, string>> = { x: 'x', time: 'time', wall: 'wall', epoch: 'epoch' };
export type { XColumnName };

export function xColumnSql(name: string): string {
  if (!Object.prototype.hasOwnProperty.call(X_COLUMNS, name)) throw new Error(`unknown x column ${JSON.stringify(name)}`);
  return X_COLUMNS[name as XColumnName];
}
