export { checkStorage, type Mismatch, rebuildStorage, type TimeRange } from "./check.ts";
export {
  changedSpans,
  dirtyHours,
  dirtyVisitors,
  LAG_MS,
  LOG_KEEP_MS,
  Materializer,
  type MaterializerOptions,
  type PassResult,
  WATERMARK_SQL,
} from "./materialize.ts";
export {
  MEASURE_COLUMNS,
  MEASURE_SQL,
  MEASURE_TYPES,
  type Measure,
  ROLLUPS,
  type Rollup,
  rollupInsert,
  rollupSourceColumns,
} from "./rollups.ts";
export {
  FIRST_EVENT_COLUMNS,
  SESSION_COLUMNS,
  type SessionColumnName,
  sessionRowsFromRaw,
  storedSessions,
} from "./sessions.ts";
export {
  EVENT_TABLES,
  hourOfSlot,
  SLOT_SECONDS,
  slotOf,
  slotRows,
  spans,
  TIMEOUT_MS,
  visitorSlots,
} from "./slots.ts";
export { sqlInstant, sqlInteger, sqlString } from "./sql.ts";
export { fillSlots, syncViews, VIEWS, type ViewDefinition, viewStatement } from "./views.ts";
