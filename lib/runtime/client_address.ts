/**
 * Client addresses: parsed strictly, written canonically, and grouped into who a rate
 * limit counts and which network a login is from. Parsing is ipaddr.js's; the rules of
 * what counts as an address are ours.
 */
import ipaddr from "ipaddr.js";

/** The longest text worth parsing: a full IPv6 address with an embedded IPv4 one. */
const maxAddressChars = 45;

/**
 * The address in `text`, or null. IPv4 only as four decimal parts (no `1.2.3`, hex,
 * octal or single-number forms, which some parsers read and others refuse); IPv6 in
 * any RFC 4291 form, without a zone; an IPv4-mapped IPv6 address is the IPv4 client
 * it carries, as a dual-stack listener reports IPv4 clients that way.
 */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (text.length > maxAddressChars) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!ipaddr.IPv6.isValid(text) || text.includes("%")) return null;
  const address = ipaddr.IPv6.parse(text);
  return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

/** Canonical text: dotted decimal, or RFC 5952 (lower case, zeros compressed). */
function canonicalText(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  return address instanceof ipaddr.IPv6
    ? address.toRFC5952String()
    : address.toString();
}

/**
 * The canonical text of the address in `text`, or null when it is not one: the only
 * form in which a client address is stored, shown or counted.
 */
export function canonicalAddress(
  text: string | null | undefined,
): string | null {
  const address = text ? parseAddress(text) : null;
  return address ? canonicalText(address) : null;
}

/** The network of `prefixLength` bits that holds the address, as `address/length`. */
function prefixOf(
  address: ipaddr.IPv4 | ipaddr.IPv6,
  prefixLength: number,
): string {
  const cidr = `${canonicalText(address)}/${prefixLength}`;
  const network = address instanceof ipaddr.IPv6
    ? ipaddr.IPv6.networkAddressFromCIDR(cidr)
    : ipaddr.IPv4.networkAddressFromCIDR(cidr);
  return `${canonicalText(network)}/${prefixLength}`;
}

/**
 * The unit a client is counted by: an IPv4 address, or an IPv6 /64 (one subscriber's
 * usual allocation, so rotating addresses inside it buys nothing); "unknown" for no
 * address.
 */
export function clientKey(ip: string | null): string {
  const address = ip ? parseAddress(ip) : null;
  if (!address) return "unknown";
  return address instanceof ipaddr.IPv6
    ? prefixOf(address, 64)
    : canonicalText(address);
}

/** The network of an address: IPv4 /24 or IPv6 /48; null without an address. */
export function networkOf(ip: string | null): string | null {
  const address = ip ? parseAddress(ip) : null;
  if (!address) return null;
  return prefixOf(address, address instanceof ipaddr.IPv6 ? 48 : 24);
}
