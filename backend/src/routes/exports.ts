import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { bodySites } from "../auth/locators.ts";
import type { AppContext } from "../context.ts";
import { csvHeader, csvLine, ndjsonLine } from "../query/export.ts";
import { mapClickHouseError } from "../query/read.ts";
import { prepareQuery, toRow } from "../query/run.ts";
import { queryErrorResponses } from "../schemas/common.ts";
import { ExportQuery, QuerySpec } from "../schemas/query.ts";
import { requireSites } from "./query.ts";

type RawRow = Record<string, string | number | null>;

/** Any query as CSV or NDJSON, written out batch by batch as ClickHouse hands rows over. */
export const exportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.post(
    "/query/export",
    {
      config: { access: { action: "reports.read", sites: bodySites } },
      schema: {
        summary: "Export a query's rows as CSV or NDJSON (streamed)",
        tags: ["query"],
        querystring: ExportQuery,
        body: QuerySpec,
        response: {
          // Streamed text, so the document names both media types (the body is not JSON).
          200: {
            description: "the rows: CSV with a header row, or one JSON object per line",
            content: {
              "text/csv": { schema: Type.String() },
              "application/x-ndjson": { schema: Type.String() },
            },
          },
          ...queryErrorResponses,
        },
      },
      preHandler: async (request) => requireSites(ctx, request.body.sites),
    },
    async (request, reply) => {
      const { range, sql, params, columns } = prepareQuery(request.body);
      const format = request.query.format ?? "csv";
      const batches = ctx.ch.stream<RawRow>(sql, params)[Symbol.asyncIterator]();
      // The first batch is awaited before any byte is sent, so a failing query still gets a
      // proper status; later failures can only cut the stream short (and are logged).
      let first: IteratorResult<RawRow[]>;
      try {
        first = await batches.next();
      } catch (error) {
        throw mapClickHouseError(error);
      }
      async function* lines() {
        if (format === "csv") yield csvHeader(columns);
        let batch = first;
        while (!batch.done) {
          let chunk = "";
          for (const raw of batch.value) {
            const row = toRow(raw, columns);
            chunk += format === "csv" ? csvLine(row, columns) : ndjsonLine(row);
          }
          if (chunk) yield chunk;
          batch = await batches.next();
        }
      }
      const name = `sightline-${range.from}-${range.to}.${format}`;
      return (
        reply
          .type(format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson")
          .header("content-disposition", `attachment; filename="${name}"`)
          // A stream skips the response serializer; the 200 schema documents the text it carries.
          .send(Readable.from(lines()) as unknown as string)
      );
    },
  );
};
