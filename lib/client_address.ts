/** Groupings of client addresses: who a rate limit counts, which network a login is from. */

/**
 * The unit a client is counted by: an IPv4 address, or an IPv6 /64 (one subscriber's
 * usual allocation, so rotating addresses inside it buys nothing).
 */
export function clientKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  return `${ipv6Groups(ip, 4).join(":")}::/64`;
}

/** The network of an address: IPv4 /24 or IPv6 /48; null without an address. */
export function networkOf(ip: string | null): string | null {
  if (!ip) return null;
  if (!ip.includes(":")) {
    const parts = ip.split(".");
    return parts.length === 4 ? `${parts.slice(0, 3).join(".")}.0/24` : null;
  }
  return `${ipv6Groups(ip, 3).join(":")}::/48`;
}

/** The first `count` groups of an IPv6 address, zeros filled in after a `::`. */
function ipv6Groups(ip: string, count: number): string[] {
  const [head] = ip.split("::");
  const groups = head.split(":").slice(0, count);
  while (groups.length < count) groups.push("0");
  return groups;
}
