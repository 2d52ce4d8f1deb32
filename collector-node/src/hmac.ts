import { createHmac } from "node:crypto";
import type { HmacHex } from "@sightline/edge";

/**
 * edge's `hmacHex` on node:crypto: the same hex (UTF-8 key and message), computed synchronously
 * instead of through Web Crypto's promise per call.
 */
export const nodeHmacHex: HmacHex = (key, message) =>
  createHmac("sha256", key).update(message).digest("hex");
