import { Type } from "typebox";

/** The body of every 4xx/5xx answer. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  500: ErrorBody,
};

/** Routes that run a query: also 503 when it runs past the time limit (src/query/read.ts). */
export const queryErrorResponses = { ...errorResponses, 503: ErrorBody };
