import { BlockList, isIP } from "node:net";

/** Whether an address is one of `trustedProxies` (exact IPs or CIDRs; throws on a bad entry). */
export function createProxyTrust(trustedProxies: readonly string[]): (ip: string) => boolean {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (isIP(address) === 0)
      throw new Error(`server.trustedProxies: "${entry}" is not an IP or CIDR`);
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  return (ip: string) => {
    const bare = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
    const family = isIP(bare);
    return family !== 0 && trusted.check(bare, family === 6 ? "ipv6" : "ipv4");
  };
}

/**
 * Resolves the client address: forwarding headers are believed only when the direct peer is a
 * configured proxy, otherwise anyone could choose the IP we hash.
 */
export function createClientIpResolver(trustedProxies: readonly string[]) {
  const isTrusted = createProxyTrust(trustedProxies);
  const none = trustedProxies.length === 0;

  return (peer: string, header: (name: string) => string | undefined): string => {
    const direct = peer.startsWith("::ffff:") ? peer.slice(7) : peer;
    if (none || !isTrusted(direct)) return direct;
    const forwarded = header("x-forwarded-for");
    if (forwarded) {
      // Walk from the nearest hop back, skipping our own proxies.
      const hops = forwarded
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean);
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i] ?? "";
        if (isIP(hop) === 0) break;
        if (!isTrusted(hop)) return hop;
      }
    }
    const real = header("x-real-ip")?.trim();
    if (real && isIP(real) !== 0) return real;
    return direct;
  };
}
