/**
 * ClickHouse error codes that mean "this data is bad", not "the server is unwell": a batch that
 * fails with one of these is bisected until the bad lines are found and dead-lettered. Anything
 * else (connection refused, timeouts, too many parts, memory) is retried with backoff instead,
 * so a sick server never sends good rows to the dead-letter table.
 */
const DATA_ERROR_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF
  33, // CANNOT_READ_ALL_DATA
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  407, // DECIMAL_OVERFLOW
  691, // UNKNOWN_ELEMENT_OF_ENUM
]);

/** The ClickHouse error code of an error from @clickhouse/client (server or embedded), if any. */
export function clickhouseCode(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^\d+$/.test(code)) return Number(code);
  const match = /Code: (\d+)\./.exec((error as Error | null)?.message ?? "");
  return match?.[1] ? Number(match[1]) : null;
}

export function isDataError(error: unknown): boolean {
  const code = clickhouseCode(error);
  return code !== null && DATA_ERROR_CODES.has(code);
}
