import ipaddr from 'ipaddr.js';
import { embeddedIPv4, forbiddenAddressReason } from './address-policy';

/** 203.0.113.x is documentation space (reserved); 93.184.216.34 and 8.8.8.8 are public unicast. */
describe('IPv6 forms that embed an IPv4 address are judged by that address', () => {
  it.each([
    // IPv4-compatible (::a.b.c.d): the metadata service, loopback and RFC 1918 inside
    ['::169.254.169.254', 'linkLocal'],
    ['::127.0.0.1', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['::a9fe:a9fe', 'linkLocal'],
    // mapped and translated
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:0:192.168.1.1', 'private'],
    // NAT64 well-known and local-use (every RFC 6052 layout of the /48 is checked)
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal'],
    ['64:ff9b:1::10.0.0.1', 'private'],
    ['64:ff9b:1:a00:1::', 'unspecified'], // /96 layout 0.0.0.0 (the /48 layout would be 10.0.1.0)
    ['64:ff9b:1:5db8:d822:0:a00:1', 'private'], // /96 layout private while the /48 layout is public
    // 6to4: 2002:AABB:CCDD::/48
    ['2002:7f00:1::1', 'loopback'],
    ['2002:a9fe:a9fe::', 'linkLocal'],
    ['2002:c0a8:101:1::1', 'private'],
    // Teredo: client = last 32 bits XOR ffff:ffff (127.0.0.1 → 80ff:fffe), server in bits 32-63
    ['2001:0:5db8:d822:0:0:80ff:fffe', 'loopback'],
    ['2001:0:5db8:d822::f5ff:fffe', 'private'], // client 10.0.0.1
    ['2001:0:a00:1::a247:27dd', 'private'], // server 10.0.0.1, client public
    // ISATAP interface ids
    ['2001:db9::5efe:10.0.0.1', 'private'],
    ['2606:4700::200:5efe:127.0.0.1', 'loopback'],
  ])('refuses %s (%s inside)', (address, range) => {
    expect(forbiddenAddressReason(address)).toMatch(new RegExp(`^${range} \\(`));
  });

  it.each([
    '::93.184.216.34',
    '::ffff:93.184.216.34',
    '64:ff9b::8.8.8.8',
    '2002:5db8:d822::1',
    '2001:0:5db8:d822::a247:27dd', // client 93.184.216.34... XOR: a247:27dd ^ ffff:ffff = 5db8:d822
    '2606:4700:4700::1111',
  ])('allows %s (a public IPv4 inside, or none)', (address) => {
    expect(forbiddenAddressReason(address)).toBeUndefined();
  });

  it('keeps the meaning of ::, ::1 and plain IPv6 ranges', () => {
    expect(forbiddenAddressReason('::')).toBe('unspecified');
    expect(forbiddenAddressReason('::1')).toBe('loopback');
    expect(forbiddenAddressReason('fd00::1')).toBe('uniqueLocal');
    expect(forbiddenAddressReason('fe80::1')).toBe('linkLocal');
    expect(forbiddenAddressReason('100::1')).toBe('discard');
  });

  it('names the form the address was written in (dotted IPv4-compatible is not mapped)', () => {
    expect(forbiddenAddressReason('::169.254.169.254')).toBe('linkLocal (169.254.169.254 inside IPv4-compatible)');
    expect(forbiddenAddressReason('::ffff:169.254.169.254')).toBe('linkLocal (169.254.169.254 inside IPv4-mapped)');
    expect(forbiddenAddressReason('fe80::1%eth0')).toBe('not an IP address');
  });

  it('extracts the Teredo client and server the way RFC 4380 lays them out', () => {
    const teredo = embeddedIPv4(ipaddr.IPv6.parse('2001:0:4136:e378:8000:63bf:3fff:fdd2'));
    expect(teredo).toEqual([
      { form: 'Teredo server', ipv4: '65.54.227.120' },
      { form: 'Teredo client', ipv4: '192.0.2.45' },
    ]);
  });
});
