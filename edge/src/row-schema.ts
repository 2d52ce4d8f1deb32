import { z } from "zod";
import { COLUMNS, type ColumnName } from "./columns.ts";

type Checks = { [K in ColumnName]: (typeof COLUMNS)[K]["check"] };

/**
 * An `EventRow` as delivered by edge Workers (NDJSON over HTTP): every column, nothing else, each
 * with its type. Used where rows arrive from outside instead of from `collect()`.
 */
export const eventRowSchema = z.strictObject(
  Object.fromEntries(Object.entries(COLUMNS).map(([name, c]) => [name, c.check])) as Checks,
);
