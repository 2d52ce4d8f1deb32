import { type ClientHints, cleanGeo, type GeoInfo } from "../index.ts";
import { type Env, flagVar } from "./env.ts";

/** What the Worker knows about the client. The IP is only ever handed to the core for hashing. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
  geo: GeoInfo;
  clientHints: ClientHints;
  privacySignal: boolean;
}

/**
 * The client as Cloudflare saw it: `CF-Connecting-IP` is set by Cloudflare's edge (a client
 * cannot forge it through Cloudflare), and geo comes only from `request.cf`, never from headers.
 * X-Forwarded-For and X-Real-IP are ignored.
 */
export function clientInfo(request: Request, env: Env): ClientInfo {
  const cf = request.cf as IncomingRequestCfProperties | undefined;
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const header = (name: string) => request.headers.get(name);
  return {
    ip: header("cf-connecting-ip") ?? "",
    userAgent: header("user-agent") ?? "",
    geo: cleanGeo({ country: text(cf?.country), region: text(cf?.region), city: text(cf?.city) }),
    clientHints: {
      brands: header("sec-ch-ua"),
      mobile: header("sec-ch-ua-mobile"),
      platform: header("sec-ch-ua-platform"),
    },
    privacySignal:
      flagVar(env.HONOR_PRIVACY_SIGNALS, true) &&
      (header("sec-gpc")?.trim() === "1" || header("dnt")?.trim() === "1"),
  };
}
