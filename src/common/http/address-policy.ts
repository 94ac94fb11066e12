import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/** An IPv4 address carried inside an IPv6 one, and the form that carries it. */
export interface EmbeddedIPv4 {
  form: string;
  ipv4: string;
}

const v4 = (b: number[]) => b.join('.');
const zero = (bytes: number[], from: number, to: number) => bytes.slice(from, to).every((x) => x === 0);

/** RFC 6052 layouts: where the 32 IPv4 bits sit for each prefix length (byte 8 is the reserved u-octet). */
const RFC6052_LAYOUTS: Record<number, number[]> = {
  32: [4, 5, 6, 7],
  40: [5, 6, 7, 9],
  48: [6, 7, 9, 10],
  56: [7, 9, 10, 11],
  64: [9, 10, 11, 12],
  96: [12, 13, 14, 15],
};

/**
 * Every IPv4 address an IPv6 address may lead to. A translator, relay or tunnel turns these
 * into IPv4 traffic, so `[::169.254.169.254]` must be judged as 169.254.169.254:
 * - IPv4-compatible `::a.b.c.d` (deprecated, still parsed by every stack), mapped `::ffff:a.b.c.d`,
 *   translated `::ffff:0:a.b.c.d` (RFC 2765);
 * - NAT64 well-known `64:ff9b::/96` and local-use `64:ff9b:1::/48` (RFC 8215; its operator picks
 *   the prefix length, so every RFC 6052 layout that fits is taken);
 * - 6to4 `2002:AABB:CCDD::/48`, Teredo `2001:0::/32` (server in bits 32-63, client in the last
 *   32 bits XORed with 0xffffffff), ISATAP interface ids `…:0:5efe:a.b.c.d` / `…:200:5efe:a.b.c.d`.
 */
export function embeddedIPv4(address: ipaddr.IPv6): EmbeddedIPv4[] {
  const b = address.toByteArray();
  const last = v4(b.slice(12, 16));
  if (zero(b, 0, 10)) {
    if (b[10] === 0xff && b[11] === 0xff) return [{ form: 'IPv4-mapped', ipv4: last }];
    // :: and ::1 keep their own meaning (unspecified, loopback) and are refused as such.
    if (b[10] === 0 && b[11] === 0 && !zero(b, 12, 15)) return [{ form: 'IPv4-compatible', ipv4: last }];
  }
  if (zero(b, 0, 8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return [{ form: 'IPv4-translated', ipv4: last }];
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (zero(b, 4, 12)) return [{ form: 'NAT64', ipv4: last }];
    if (b[4] === 0x00 && b[5] === 0x01)
      return [96, 64, 56, 48].map((len) => ({ form: 'NAT64 local-use', ipv4: v4(RFC6052_LAYOUTS[len].map((i) => b[i])) }));
  }
  if (b[0] === 0x20 && b[1] === 0x02) return [{ form: '6to4', ipv4: v4(b.slice(2, 6)) }];
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00)
    return [
      { form: 'Teredo server', ipv4: v4(b.slice(4, 8)) },
      { form: 'Teredo client', ipv4: v4(b.slice(12, 16).map((x) => x ^ 0xff)) },
    ];
  if ((b[8] & 0xfd) === 0 && b[9] === 0 && b[10] === 0x5e && b[11] === 0xfe) return [{ form: 'ISATAP', ipv4: last }];
  return [];
}

/**
 * ipaddr.js reads every IPv6 literal with a dotted tail as IPv4-mapped (`::10.0.0.1` becomes
 * `::ffff:a00:1`), so IPv6 text goes through the WHATWG URL parser first (what http.request
 * connects to): it writes `::10.0.0.1` as `::a00:1`. Zone ids (`fe80::1%eth0`) are refused.
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const family = isIP(address);
  if (family === 4) return ipaddr.IPv4.parse(address);
  if (family !== 6) return undefined;
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  return ipaddr.IPv6.parse(canonical);
}

/** IPv6 ranges whose meaning is the IPv4 inside: judged by `embeddedIPv4`, not refused by name. */
const TRANSLATION_RANGES = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052', '6to4', 'teredo']);

/**
 * Decides whether an outbound connection to an address is allowed. Anything but public
 * unicast is refused: loopback, private (RFC 1918), link-local (incl. the 169.254.169.254
 * metadata service), CGNAT, multicast, unspecified, reserved, IPv6 ULA, and every IPv6 form
 * whose embedded IPv4 address is one of those. Returns the reason, or undefined when allowed.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return 'not an IP address';
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return range === 'unicast' ? undefined : range;
  }
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  if (range !== 'unicast' && !TRANSLATION_RANGES.has(range)) return range;
  for (const { form, ipv4 } of embeddedIPv4(v6)) {
    const inner = ipaddr.IPv4.parse(ipv4).range();
    if (inner !== 'unicast') return `${inner} (${ipv4} inside ${form})`;
  }
  return undefined;
}

/** Host allowlist (names or literal IPs, lower case) that may reach private addresses. */
export function isAllowlistedHost(host: string, allowlist: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allowlist.includes(h);
}
