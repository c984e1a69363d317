/**
 * Client addresses: parsed strictly, written canonically, and grouped into who a rate
 * limit counts and which network a login is from. Parsing and RFC 5952 text are
 * ip-bigint's (an ES module: a CommonJS parser would load Deno's Node module loader,
 * some 25 ms of every cold start); the rules of what counts as an address are ours.
 */
import { ipVersion, parseIp, stringifyIp } from "ip-bigint";

/** The longest text worth parsing: a full IPv6 address with an embedded IPv4 one. */
const maxAddressChars = 45;

/** An address as a number of 32 (IPv4) or 128 (IPv6) bits. */
interface Address {
  number: bigint;
  version: 4 | 6;
}

/** ::ffff:0:0/96, where IPv6 carries IPv4 addresses (RFC 4291, 2.5.5.2). */
const ipv4MappedFirst = 0xffff_0000_0000n;
const ipv4MappedLast = 0xffff_ffff_ffffn;

/**
 * The address in `text`, or null. IPv4 only as four decimal parts (no `1.2.3`, hex,
 * octal or single-number forms, which some parsers read and others refuse); IPv6 in
 * any RFC 4291 form, without a zone; an IPv4-mapped IPv6 address is the IPv4 client
 * it carries, as a dual-stack listener reports IPv4 clients that way.
 */
function parseAddress(text: string): Address | null {
  if (text.length > maxAddressChars || text.includes("%")) return null;
  if (ipVersion(text) === 0) return null;
  const { number, version } = parseIp(text);
  if (version === 6 && number >= ipv4MappedFirst && number <= ipv4MappedLast) {
    return { number: number - ipv4MappedFirst, version: 4 };
  }
  return { number, version };
}

/** Canonical text: dotted decimal, or RFC 5952 (lower case, zeros compressed). */
function canonicalText(address: Address): string {
  return stringifyIp(address);
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
function prefixOf(address: Address, prefixLength: number): string {
  const hostBits = BigInt((address.version === 6 ? 128 : 32) - prefixLength);
  const network = (address.number >> hostBits) << hostBits;
  return `${
    canonicalText({ number: network, version: address.version })
  }/${prefixLength}`;
}

/**
 * The unit a client is counted by: an IPv4 address, or an IPv6 /64 (one subscriber's
 * usual allocation, so rotating addresses inside it buys nothing); "unknown" for no
 * address.
 */
export function clientKey(ip: string | null): string {
  const address = ip ? parseAddress(ip) : null;
  if (!address) return "unknown";
  return address.version === 6 ? prefixOf(address, 64) : canonicalText(address);
}

/** The network of an address: IPv4 /24 or IPv6 /48; null without an address. */
export function networkOf(ip: string | null): string | null {
  const address = ip ? parseAddress(ip) : null;
  if (!address) return null;
  return prefixOf(address, address.version === 6 ? 48 : 24);
}
