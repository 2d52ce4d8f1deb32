import type { ClickHouse, QueryParams } from "@sightline/config";
import { ApiError, errors } from "../errors.ts";

export type Reader = Pick<ClickHouse, "read">;

/**
 * Runs compiled SQL through the read-only session. ClickHouse's messages quote the query, so
 * they never reach the client: known failures become fixed messages, the rest a generic 500
 * (the original error stays in the server log).
 */
export async function readReport<T>(ch: Reader, sql: string, params: QueryParams): Promise<T[]> {
  try {
    return await ch.read<T>(sql, params);
  } catch (error) {
    throw mapClickHouseError(error);
  }
}

export function mapClickHouseError(error: unknown): unknown {
  const text = error instanceof Error ? error.message : String(error);
  if (/re2|regular expression|regexp/i.test(text)) {
    return errors.badRequest('body/filters: a "matches" value is not a valid regular expression');
  }
  if (/BAD_ARGUMENTS.*time ?zone|Cannot load time zone|Invalid time zone/i.test(text)) {
    return errors.badRequest("body/tz: the database does not know this time zone");
  }
  if (/TIMEOUT_EXCEEDED|Timeout exceeded/i.test(text)) {
    return new ApiError(
      503,
      "QUERY_TIMEOUT",
      "The query ran past the time limit: narrow the range, the sites or the filters",
    );
  }
  if (/TOO_MANY_ROWS|Limit for result exceeded|Limit for rows/i.test(text)) {
    return errors.badRequest("The answer would exceed the result size limit: lower the limit");
  }
  return error;
}
