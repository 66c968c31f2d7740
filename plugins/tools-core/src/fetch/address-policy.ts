import ipaddr from 'ipaddr.js';

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to every address it has; tests inject their own. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Which private targets web_fetch may reach anyway: allowed hostnames skip the address
 * check, allowed addresses and CIDR ranges let those addresses through.
 */
export class AddressPolicy {
  readonly #hosts = new Set<string>();
  readonly #ranges: Cidr[] = [];

  constructor(allow: readonly string[]) {
    for (const entry of allow) {
      const value = entry.trim().toLowerCase();
      if (value.includes('/') && isCidr(value)) this.#ranges.push(ipaddr.parseCIDR(value));
      else if (ipaddr.isValid(stripBrackets(value))) {
        const ip = normalize(ipaddr.parse(stripBrackets(value)));
        this.#ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
      } else this.#hosts.add(value);
    }
  }

  /** True when the hostname itself is on the allow-list. */
  allowsHost(hostname: string): boolean {
    return this.#hosts.has(stripBrackets(hostname).toLowerCase());
  }

  /** Why an address may not be fetched, or undefined when it may. */
  refusal(address: string): string | undefined {
    const reason = blockedRange(address);
    if (reason === undefined) return undefined;
    const ip = normalize(ipaddr.parse(address));
    if (this.#ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return undefined;
    return reason;
  }
}

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries. */
function normalize(ip: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? (ip as ipaddr.IPv6).toIPv4Address() : ip;
}

/**
 * The special-purpose range an address falls in (loopback, private, linkLocal,
 * carrierGradeNat, uniqueLocal, multicast, unspecified, reserved, 6to4, teredo, ...), or
 * undefined for an ordinary public unicast address. Anything unparsable is refused.
 */
export function blockedRange(address: string): string | undefined {
  const text = stripBrackets(address);
  if (!ipaddr.isValid(text)) return 'not an IP address';
  const range = normalize(ipaddr.parse(text)).range();
  return range === 'unicast' ? undefined : range;
}

/**
 * A URL host as an IP address when it is one. WHATWG URL parsing already turns
 * `2130706433`, `0x7f000001`, `017700000001` and `0x7f.1` into `127.0.0.1`; ipaddr's own
 * parser covers the same forms should a host reach here unnormalised.
 */
export function literalAddress(hostname: string): string | undefined {
  const text = stripBrackets(hostname);
  if (ipaddr.IPv6.isValid(text)) return text;
  if (ipaddr.IPv4.isValid(text)) return ipaddr.IPv4.parse(text).toString();
  return undefined;
}
