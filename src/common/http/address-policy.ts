import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Decides whether an outbound connection to an address is allowed. Anything but public
 * unicast is refused: loopback, private (RFC 1918), link-local (incl. the 169.254.169.254
 * metadata service), CGNAT, multicast, unspecified, reserved, IPv6 ULA and IPv4-mapped.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  if (isIP(address) === 0) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1: judge the IPv4 inside.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

/** Host allowlist (names or literal IPs, lower case) that may reach private addresses. */
export function isAllowlistedHost(host: string, allowlist: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allowlist.includes(h);
}
