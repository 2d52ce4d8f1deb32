import { type EventRow, eventRowSchema } from "@sightline/edge";

export type InternalRows =
  | { ok: true; rows: EventRow[] }
  | { ok: false; code: "INVALID_ROW" | "EMPTY_BODY"; error: string };

/**
 * The rows of an edge delivery (`POST /internal/ndjson`): every line must be an event row with
 * exactly the events columns and their types. All or nothing: the first bad line is named and
 * no row is taken.
 */
export function internalRows(text: string): InternalRows {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const rows: EventRow[] = [];
  const lines = body === "" ? [] : body.split("\n");
  for (const [index, line] of lines.entries()) {
    const bad = (why: string): InternalRows => ({
      ok: false,
      code: "INVALID_ROW",
      error: `line ${index + 1}: ${why}; nothing was written`,
    });
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return bad("not valid JSON");
    }
    const row = eventRowSchema.safeParse(json);
    if (!row.success) {
      const issue = row.error.issues[0];
      const field = issue?.path.length ? issue.path.join(".") : "row";
      const what =
        issue?.code === "unrecognized_keys" ? `unknown column ${issue.keys.join(", ")}` : "";
      return bad(`${field}: ${what || issue?.message || "invalid row"}`);
    }
    rows.push(row.data);
  }
  if (rows.length === 0) return { ok: false, code: "EMPTY_BODY", error: "no NDJSON lines" };
  return { ok: true, rows };
}
