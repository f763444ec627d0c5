import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import {
  addressIndex,
  bits,
  type CIDR,
  cidrContains,
  cidrLast,
  cidrOf,
  cidrOverlaps,
  cidrSize,
  compareIP,
  formatCIDR,
  formatIP,
  type IP,
  ipEqual,
  ipFamilyOf,
  ipKey,
  isIPv4Mapped,
  makeIP,
  nthAddress,
  parseCIDR,
  parseCIDRLoose,
  parseIP,
  parseIPRange,
  RangeAllocator,
  reverseName,
  subnet,
  subnetCount,
} from '../../src/ip/index.js';

// Deterministic PRNG so randomized tests reproduce.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ip(s: string): IP {
  const v = parseIP(s);
  assert.ok(v, `test setup: ${s} should parse`);
  return v;
}

function cidr(s: string): CIDR {
  const v = parseCIDR(s);
  assert.ok(v, `test setup: ${s} should parse`);
  return v;
}

describe('parseIP / formatIP', () => {
  const valid: [input: string, canonical: string, family: 'IPv4' | 'IPv6'][] = [
    ['0.0.0.0', '0.0.0.0', 'IPv4'],
    ['255.255.255.255', '255.255.255.255', 'IPv4'],
    ['10.244.0.1', '10.244.0.1', 'IPv4'],
    ['192.0.2.10', '192.0.2.10', 'IPv4'],
    ['100.64.0.0', '100.64.0.0', 'IPv4'],
    // RFC 5952 section 4 examples and friends.
    ['2001:db8::1', '2001:db8::1', 'IPv6'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 'IPv6'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1', 'IPv6'],
    ['2001:db8::0:1', '2001:db8::1', 'IPv6'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 'IPv6'], // one zero group is not compressed
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::', 'IPv6'], // the longer run wins
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1', 'IPv6'],
    ['2001:DB8::A:bC', '2001:db8::a:bc', 'IPv6'], // lowercase
    ['::', '::', 'IPv6'],
    ['0:0:0:0:0:0:0:0', '::', 'IPv6'],
    ['::1', '::1', 'IPv6'],
    ['0:0:0:0:0:0:0:1', '::1', 'IPv6'],
    ['1::', '1::', 'IPv6'],
    ['ffff::ffff:ffff', 'ffff::ffff:ffff', 'IPv6'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'IPv6'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0', 'IPv6'], // '::' may stand for a single group on input
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8', 'IPv6'],
    ['1:0:0:2::3', '1:0:0:2::3', 'IPv6'],
    ['fe80::1', 'fe80::1', 'IPv6'],
    ['fd00:10:244::', 'fd00:10:244::', 'IPv6'],
    ['fd00:10:96::a', 'fd00:10:96::a', 'IPv6'],
    // Embedded IPv4.
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4', 'IPv6'],
    ['::ffff:0102:0304', '::ffff:1.2.3.4', 'IPv6'], // IPv4-mapped keeps mixed notation
    ['::FFFF:0.0.0.0', '::ffff:0.0.0.0', 'IPv6'],
    ['::1.2.3.4', '::102:304', 'IPv6'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221', 'IPv6'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304', 'IPv6'],
    ['0000:0000:0000:0000:0000:0000:255.255.255.255', '::ffff:ffff', 'IPv6'], // 45 chars, the longest
  ];
  for (const [input, canonical, family] of valid) {
    it(`parses ${JSON.stringify(input)} as ${canonical}`, () => {
      const a = parseIP(input);
      assert.ok(a);
      assert.equal(a.family, family);
      assert.equal(formatIP(a), canonical);
      assert.equal(ipFamilyOf(input), family);
      // The canonical form parses back to the same address and formats to itself.
      const b = parseIP(canonical);
      assert.ok(b);
      assert.ok(ipEqual(a, b));
      assert.equal(formatIP(b), canonical);
    });
  }

  it('gives the expected values', () => {
    assert.deepEqual(parseIP('10.244.0.1'), { family: 'IPv4', value: 0x0af40001n });
    assert.deepEqual(parseIP('255.255.255.255'), { family: 'IPv4', value: 0xffffffffn });
    assert.deepEqual(parseIP('::1'), { family: 'IPv6', value: 1n });
    assert.deepEqual(parseIP('2001:db8::1'), { family: 'IPv6', value: 0x20010db8000000000000000000000001n });
    assert.deepEqual(parseIP('::ffff:1.2.3.4'), { family: 'IPv6', value: 0xffff01020304n });
    assert.deepEqual(parseIP('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), {
      family: 'IPv6',
      value: (1n << 128n) - 1n,
    });
  });

  const invalid = [
    '',
    ' ',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.256',
    '01.2.3.4',
    '1.2.3.04',
    '00.0.0.0',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.4\n',
    '1.2.3.',
    '.1.2.3',
    '1..2.3',
    '1.2.3.-4',
    '+1.2.3.4',
    '1.2.3.0x4',
    '0x1.2.3.4',
    '1234.1.1.1',
    '１.2.3.4', // full-width digit
    '1.2.3.4/32',
    'localhost',
    'fe80::1%eth0',
    'fe80::1%',
    '[::1]',
    '[::1]:80',
    ':',
    ':::',
    '::::',
    '1:',
    ':1',
    ':1::',
    '1::2:',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1::2:3:4:5:6:7:8',
    'g::1',
    '12345::',
    '02001:db8::1',
    '::1.2.3',
    '::1.2.3.04',
    '::256.0.0.0',
    '::1.2.3.4.5',
    '::ffff:1.2.3.4:1',
    '1.2.3.4::',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::ffff:a.b.c.d',
    '::1 ',
    '::/0',
    '-::1',
  ];
  for (const s of invalid) {
    it(`rejects ${JSON.stringify(s)}`, () => {
      assert.equal(parseIP(s), undefined);
      assert.equal(ipFamilyOf(s), undefined);
    });
  }

  it('rejects hostile 100k-character strings quickly', () => {
    const n = 100_000;
    const hostile = [
      '1'.repeat(n),
      '0'.repeat(n),
      'a'.repeat(n),
      ':'.repeat(n),
      '.'.repeat(n),
      '1.'.repeat(n / 2),
      '1:'.repeat(n / 2),
      `::${'f'.repeat(n)}`,
      `1.2.3.4${' '.repeat(n)}`,
      `${'0'.repeat(n)}1.2.3.4`,
      `::ffff:${'1.'.repeat(n / 2)}4`,
      `${'1'.repeat(n)}/24`,
      `10.0.0.0/${'1'.repeat(n)}`,
      `${'1'.repeat(n)}-${'1'.repeat(n)}`,
      `1.2.3.4-${' '.repeat(n)}`,
      '-'.repeat(n),
    ];
    const start = performance.now();
    for (let round = 0; round < 10; round++) {
      for (const s of hostile) {
        assert.equal(parseIP(s), undefined);
        assert.equal(ipFamilyOf(s), undefined);
        assert.equal(parseCIDR(s), undefined);
        assert.equal(parseCIDRLoose(s), undefined);
        assert.equal(parseIPRange(s), undefined);
      }
    }
    // Generous bound: the point is "not quadratic, no backtracking", not a benchmark.
    assert.ok(performance.now() - start < 2000, `took ${performance.now() - start}ms`);
  });

  it('agrees with node:net on validity for random near-addresses', () => {
    const rand = mulberry32(1);
    const seeds = [
      '1.2.3.4',
      '10.244.0.255',
      '2001:db8::1',
      '::ffff:1.2.3.4',
      'fd00:10:244:1::a',
      '1:2:3:4:5:6:7:8',
      '::',
      '1::',
      '64:ff9b::192.0.2.33',
    ];
    const alphabet = '0123456789abcdefABCDEFg:.';
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      let s = seeds[Math.floor(rand() * seeds.length)];
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        const pos = Math.floor(rand() * (s.length + 1));
        const ch = alphabet[Math.floor(rand() * alphabet.length)];
        const op = rand();
        if (op < 0.33) s = s.slice(0, pos) + ch + s.slice(pos);
        else if (op < 0.66) s = s.slice(0, pos) + s.slice(pos + 1);
        else s = s.slice(0, pos) + ch + s.slice(pos + 1);
      }
      const ours = parseIP(s);
      const theirs = isIP(s);
      assert.equal(ours === undefined ? 0 : ours.family === 'IPv4' ? 4 : 6, theirs, `disagree on ${s}`);
      if (ours) {
        // Whatever parses formats to a canonical string that parses back to the same address.
        const again = parseIP(formatIP(ours));
        assert.ok(again && ipEqual(again, ours), s);
        checked++;
      }
    }
    assert.ok(checked > 1000, `only ${checked} valid samples`);
  });

  it('formats random IPv6 values as the WHATWG URL serializer does (RFC 5952 compression)', () => {
    const rand = mulberry32(2);
    for (let i = 0; i < 5_000; i++) {
      let v = 0n;
      for (let g = 0; g < 8; g++) {
        // Mostly zeros, so runs and ties are common.
        const group = rand() < 0.6 ? 0 : Math.floor(rand() * 0x10000);
        v = (v << 16n) | BigInt(group);
      }
      const a = makeIP('IPv6', v);
      if (isIPv4Mapped(a)) continue; // URL has no mixed notation
      const s = formatIP(a);
      assert.equal(`[${s}]`, new URL(`http://[${s}]/`).hostname);
      const back = parseIP(s);
      assert.ok(back && back.value === v);
    }
  });

  it('round-trips random IPv4 values', () => {
    const rand = mulberry32(3);
    for (let i = 0; i < 5_000; i++) {
      const v = BigInt(Math.floor(rand() * 2 ** 32));
      const s = formatIP({ family: 'IPv4', value: v });
      assert.equal(isIP(s), 4);
      assert.equal(parseIP(s)?.value, v);
    }
  });
});

describe('helpers', () => {
  it('bits', () => {
    assert.equal(bits('IPv4'), 32);
    assert.equal(bits('IPv6'), 128);
  });

  it('makeIP checks the range', () => {
    assert.deepEqual(makeIP('IPv4', 0xffffffffn), { family: 'IPv4', value: 0xffffffffn });
    assert.throws(() => makeIP('IPv4', 1n << 32n), RangeError);
    assert.throws(() => makeIP('IPv4', -1n), RangeError);
    assert.deepEqual(makeIP('IPv6', (1n << 128n) - 1n).value, (1n << 128n) - 1n);
    assert.throws(() => makeIP('IPv6', 1n << 128n), RangeError);
  });

  it('ipKey is stable across spellings and distinct across families', () => {
    assert.equal(ipKey(ip('2001:db8::1')), ipKey(ip('2001:DB8:0:0::0001')));
    assert.notEqual(ipKey(ip('1.2.3.4')), ipKey(ip('::102:304')));
    assert.notEqual(ipKey(ip('1.2.3.4')), ipKey(ip('::ffff:1.2.3.4')));
    assert.notEqual(ipKey(ip('0.0.0.0')), ipKey(ip('::')));
    const keys = new Set(['10.0.0.1', '10.0.0.2', '::a', '::b', '::10.0.0.1'].map((s) => ipKey(ip(s))));
    assert.equal(keys.size, 5);
  });

  it('compareIP sorts IPv4 before IPv6, then numerically', () => {
    const input = [
      '::1',
      '10.0.0.10',
      '2001:db8::',
      '10.0.0.9',
      '::',
      '0.0.0.0',
      '255.255.255.255',
      '::ffff:0.0.0.0',
    ];
    const sorted = input.map(ip).sort(compareIP).map(formatIP);
    assert.deepEqual(sorted, [
      '0.0.0.0',
      '10.0.0.9',
      '10.0.0.10',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:0.0.0.0',
      '2001:db8::',
    ]);
    assert.equal(compareIP(ip('1.2.3.4'), ip('1.2.3.4')), 0);
  });

  it('isIPv4Mapped', () => {
    assert.equal(isIPv4Mapped(ip('::ffff:10.0.0.1')), true);
    assert.equal(isIPv4Mapped(ip('::10.0.0.1')), false);
    assert.equal(isIPv4Mapped(ip('1::ffff:10.0.0.1')), false);
    assert.equal(isIPv4Mapped(ip('10.0.0.1')), false);
  });

  const reverse: [string, string][] = [
    ['1.2.3.4', '4.3.2.1.in-addr.arpa.'],
    ['10.96.0.10', '10.0.96.10.in-addr.arpa.'],
    ['0.0.0.0', '0.0.0.0.in-addr.arpa.'],
    // RFC 3596 section 2.5.
    ['4321:0:1:2:3:4:567:89ab', 'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa.'],
    ['::1', `1.${'0.'.repeat(31)}ip6.arpa.`],
    ['::', `${'0.'.repeat(32)}ip6.arpa.`],
    ['fd00:10:96::a', 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa.'],
  ];
  for (const [addr, name] of reverse) {
    it(`reverseName(${addr})`, () => assert.equal(reverseName(ip(addr)), name));
  }
});

describe('CIDR', () => {
  const valid: [input: string, canonical: string, size: bigint][] = [
    ['10.244.0.0/16', '10.244.0.0/16', 65536n],
    ['10.96.0.0/12', '10.96.0.0/12', 1n << 20n],
    ['0.0.0.0/0', '0.0.0.0/0', 1n << 32n],
    ['1.2.3.4/32', '1.2.3.4/32', 1n],
    ['::/0', '::/0', 1n << 128n],
    ['::1/128', '::1/128', 1n],
    ['fd00:10:244::/56', 'fd00:10:244::/56', 1n << 72n],
    ['fd00:0010:0244:0000::/56', 'fd00:10:244::/56', 1n << 72n],
    ['2001:DB8::/32', '2001:db8::/32', 1n << 96n],
    ['::ffff:10.0.0.0/104', '::ffff:10.0.0.0/104', 1n << 24n],
  ];
  for (const [input, canonical, size] of valid) {
    it(`parses ${input}`, () => {
      const c = parseCIDR(input);
      assert.ok(c);
      assert.equal(formatCIDR(c), canonical);
      assert.equal(cidrSize(c), size);
      assert.deepEqual(parseCIDR(canonical), c);
      assert.deepEqual(parseCIDRLoose(input), c);
    });
  }

  const invalid = [
    '',
    '10.0.0.0',
    '10.0.0.0/',
    '/8',
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/08',
    '10.0.0.0/00',
    '10.0.0.0/+8',
    '10.0.0.0/-1',
    '10.0.0.0/ 8',
    '10.0.0.0 /8',
    '10.0.0.0/8 ',
    ' 10.0.0.0/8',
    '10.0.0.0/8/8',
    '10.0.0.0/1000',
    '10.0.0.0/8a',
    '010.0.0.0/8',
    'fd00::%eth0/64',
    '[fd00::]/64',
  ];
  for (const s of invalid) {
    it(`rejects ${JSON.stringify(s)}`, () => {
      assert.equal(parseCIDR(s), undefined);
      assert.equal(parseCIDRLoose(s), undefined);
    });
  }

  const hostBits: [string, string][] = [
    ['10.244.1.0/16', '10.244.0.0/16'],
    ['10.244.0.1/24', '10.244.0.0/24'],
    ['255.255.255.255/0', '0.0.0.0/0'],
    ['fd00:10:244::1/56', 'fd00:10:244::/56'],
    ['fd00:10:244:ff::/56', 'fd00:10:244::/56'],
    ['fd00:10:244:1ff::/56', 'fd00:10:244:100::/56'],
  ];
  for (const [input, masked] of hostBits) {
    it(`rejects host bits in ${input} unless loose`, () => {
      assert.equal(parseCIDR(input), undefined);
      const c = parseCIDRLoose(input);
      assert.ok(c);
      assert.equal(formatCIDR(c), masked);
    });
  }

  it('cidrOf and cidrLast', () => {
    assert.equal(formatCIDR(cidrOf(ip('10.244.7.9'), 24)), '10.244.7.0/24');
    assert.equal(formatCIDR(cidrOf(ip('fd00:10:244:7::9'), 64)), 'fd00:10:244:7::/64');
    assert.equal(formatCIDR(cidrOf(ip('1.2.3.4'), 0)), '0.0.0.0/0');
    assert.throws(() => cidrOf(ip('1.2.3.4'), 33), RangeError);
    assert.throws(() => cidrOf(ip('::1'), -1), RangeError);
    assert.throws(() => cidrOf(ip('::1'), 1.5), RangeError);
    assert.equal(formatIP(cidrLast(cidr('10.244.0.0/16'))), '10.244.255.255');
    assert.equal(formatIP(cidrLast(cidr('1.2.3.4/32'))), '1.2.3.4');
    assert.equal(formatIP(cidrLast(cidr('fd00::/64'))), 'fd00::ffff:ffff:ffff:ffff');
    assert.equal(formatIP(cidrLast(cidr('::/0'))), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  });

  const contains: [string, string, boolean][] = [
    ['10.244.0.0/16', '10.244.0.0', true],
    ['10.244.0.0/16', '10.244.255.255', true],
    ['10.244.0.0/16', '10.245.0.0', false],
    ['10.244.0.0/16', '10.243.255.255', false],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['1.2.3.4/32', '1.2.3.4', true],
    ['1.2.3.4/32', '1.2.3.5', false],
    ['fd00:10:244::/56', 'fd00:10:244:ff:ffff:ffff:ffff:ffff', true],
    ['fd00:10:244::/56', 'fd00:10:244:100::', false],
    ['::/0', '::ffff:1.2.3.4', true],
    ['::/0', '1.2.3.4', false], // family mismatch
    ['0.0.0.0/0', '::', false],
    ['::ffff:0.0.0.0/96', '1.2.3.4', false],
  ];
  for (const [c, a, want] of contains) {
    it(`cidrContains(${c}, ${a}) = ${want}`, () => assert.equal(cidrContains(cidr(c), ip(a)), want));
  }

  const overlaps: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.244.0.0/16', true],
    ['10.244.0.0/16', '10.0.0.0/8', true],
    ['10.244.0.0/16', '10.244.0.0/16', true],
    ['10.244.0.0/16', '10.245.0.0/16', false], // adjacent
    ['10.244.0.0/24', '10.244.1.0/24', false],
    ['10.96.0.0/12', '10.244.0.0/16', false],
    ['0.0.0.0/0', '192.168.1.1/32', true],
    ['0.0.0.0/0', '::/0', false], // different families never overlap
    ['fd00:10:244::/56', 'fd00:10:244:ff::/64', true],
    ['fd00:10:244::/56', 'fd00:10:244:100::/64', false],
    ['fd00:10:96::/112', 'fd00:10:244::/56', false],
  ];
  for (const [a, b, want] of overlaps) {
    it(`cidrOverlaps(${a}, ${b}) = ${want}`, () => {
      assert.equal(cidrOverlaps(cidr(a), cidr(b)), want);
      assert.equal(cidrOverlaps(cidr(b), cidr(a)), want);
    });
  }

  const subnets: [parent: string, prefix: number, index: number | bigint, want: string][] = [
    ['10.244.0.0/16', 24, 0, '10.244.0.0/24'],
    ['10.244.0.0/16', 24, 2, '10.244.2.0/24'],
    ['10.244.0.0/16', 24, 255, '10.244.255.0/24'],
    ['10.244.0.0/16', 16, 0, '10.244.0.0/16'],
    ['10.244.0.0/16', 32, 65535, '10.244.255.255/32'],
    ['0.0.0.0/0', 1, 1, '128.0.0.0/1'],
    ['fd00:10:244::/56', 64, 0, 'fd00:10:244::/64'],
    ['fd00:10:244::/56', 64, 1, 'fd00:10:244:1::/64'],
    ['fd00:10:244::/56', 64, 255, 'fd00:10:244:ff::/64'],
    ['fd00::/48', 112, (1n << 64n) - 1n, 'fd00::ffff:ffff:ffff:ffff:0/112'],
    ['::/0', 128, 7n, '::7/128'],
  ];
  for (const [parent, prefix, index, want] of subnets) {
    it(`subnet(${parent}, ${prefix}, ${index}) = ${want}`, () => {
      const c = cidr(parent);
      const s = subnet(c, prefix, index);
      assert.equal(formatCIDR(s), want);
      assert.ok(cidrContains(c, { family: s.family, value: s.base }));
      assert.ok(BigInt(index) < subnetCount(c, prefix));
    });
  }

  it('subnetCount', () => {
    assert.equal(subnetCount(cidr('10.244.0.0/16'), 24), 256n);
    assert.equal(subnetCount(cidr('10.244.0.0/16'), 16), 1n);
    assert.equal(subnetCount(cidr('fd00:10:244::/56'), 64), 256n);
    assert.equal(subnetCount(cidr('::/0'), 128), 1n << 128n);
    assert.throws(() => subnetCount(cidr('10.244.0.0/16'), 15), RangeError);
    assert.throws(() => subnetCount(cidr('10.244.0.0/16'), 33), RangeError);
  });

  it('subnet rejects out-of-range requests', () => {
    const c = cidr('10.244.0.0/16');
    assert.throws(() => subnet(c, 24, 256), RangeError);
    assert.throws(() => subnet(c, 24, -1), RangeError);
    assert.throws(() => subnet(c, 24, 1.5), RangeError);
    assert.throws(() => subnet(c, 8, 0), RangeError);
    assert.throws(() => subnet(c, 33, 0), RangeError);
    assert.throws(() => subnet(cidr('fd00:10:244::/56'), 64, 256), RangeError);
    assert.throws(() => subnet(cidr('fd00:10:244::/56'), 129, 0), RangeError);
  });

  it('nthAddress and addressIndex are inverses', () => {
    const c = cidr('10.96.0.0/12');
    assert.equal(formatIP(nthAddress(c, 0)), '10.96.0.0');
    assert.equal(formatIP(nthAddress(c, 10)), '10.96.0.10');
    assert.equal(formatIP(nthAddress(c, 10n)), '10.96.0.10');
    assert.equal(formatIP(nthAddress(c, (1 << 20) - 1)), '10.111.255.255');
    assert.throws(() => nthAddress(c, 1 << 20), RangeError);
    assert.throws(() => nthAddress(c, -1), RangeError);
    assert.throws(() => nthAddress(c, 0.5), RangeError);
    assert.throws(() => nthAddress(c, Number.NaN), RangeError);
    assert.equal(addressIndex(c, ip('10.96.0.10')), 10n);
    assert.equal(addressIndex(c, nthAddress(c, 123_456)), 123_456n);

    const v6 = cidr('fd00:10:244:1::/64');
    assert.equal(formatIP(nthAddress(v6, 1)), 'fd00:10:244:1::1');
    assert.equal(formatIP(nthAddress(v6, (1n << 64n) - 1n)), 'fd00:10:244:1:ffff:ffff:ffff:ffff');
    assert.throws(() => nthAddress(v6, 1n << 64n), RangeError);
    assert.equal(addressIndex(v6, ip('fd00:10:244:1::1:0')), 65536n);
    assert.throws(() => addressIndex(v6, ip('10.0.0.1')), RangeError);

    const host = cidr('1.2.3.4/32');
    assert.equal(formatIP(nthAddress(host, 0)), '1.2.3.4');
    assert.throws(() => nthAddress(host, 1), RangeError);
  });
});

describe('parseIPRange', () => {
  const valid: [string, string, string][] = [
    ['172.18.255.200-172.18.255.250', '172.18.255.200', '172.18.255.250'],
    ['172.18.255.200 - 172.18.255.250', '172.18.255.200', '172.18.255.250'],
    ['10.0.0.1-10.0.0.1', '10.0.0.1', '10.0.0.1'],
    ['192.168.10.0/24', '192.168.10.0', '192.168.10.255'],
    ['192.168.10.7/24', '192.168.10.0', '192.168.10.255'], // host bits cleared, as MetalLB does
    ['1.2.3.4/32', '1.2.3.4', '1.2.3.4'],
    ['fc00:f853:ccd:e799::-fc00:f853:ccd:e799::ff', 'fc00:f853:ccd:e799::', 'fc00:f853:ccd:e799::ff'],
    ['fc00:f853:0ccd:e799::/124', 'fc00:f853:ccd:e799::', 'fc00:f853:ccd:e799::f'],
  ];
  for (const [s, first, last] of valid) {
    it(`parses ${s}`, () => {
      const r = parseIPRange(s);
      assert.ok(r);
      assert.equal(formatIP(r.first), first);
      assert.equal(formatIP(r.last), last);
    });
  }

  const invalid = [
    '',
    '1.2.3.4',
    '1.2.3.4-',
    '-1.2.3.4',
    '1.2.3.5-1.2.3.4', // reversed
    '1.2.3.4-::1', // mixed families
    '::1-1.2.3.4',
    '1.2.3.4-1.2.3.5-1.2.3.6',
    '1.2.3.4-1.2.3.256',
    '10.0.0.0/33',
    '1.2.3.4/24-1.2.3.9',
  ];
  for (const s of invalid) {
    it(`rejects ${JSON.stringify(s)}`, () => assert.equal(parseIPRange(s), undefined));
  }
});

describe('RangeAllocator', () => {
  for (const size of [1, 31, 32, 33, 65536]) {
    it(`allocates every offset of a size-${size} range once, then reports full`, () => {
      const a = new RangeAllocator(size);
      assert.equal(a.size, BigInt(size));
      assert.equal(a.used, 0);
      assert.equal(a.firstFree(), 0n);
      let last = -1n;
      for (let i = 0; i < size; i++) {
        const next = a.nextFree(last + 1n);
        assert.equal(next, BigInt(i));
        assert.equal(a.mark(next), true);
        last = next;
      }
      assert.equal(a.used, size);
      assert.equal(a.nextFree(0), undefined);
      assert.equal(a.nextFree(size), undefined);
      assert.equal(a.firstFree(), undefined);
      // Padding bits past the end are never handed out.
      assert.equal(a.has(size), false);
      assert.throws(() => a.mark(size), RangeError);

      const mid = Math.floor(size / 2);
      assert.equal(a.mark(mid), false);
      a.release(mid);
      a.release(mid); // releasing a free offset is a no-op
      assert.equal(a.used, size - 1);
      assert.equal(a.has(mid), false);
      assert.equal(a.firstFree(), BigInt(mid));
      // From past the hole, the scan wraps around to it.
      assert.equal(a.nextFree(size - 1), BigInt(mid));
      assert.equal(a.nextFree(mid), BigInt(mid));
      assert.equal(a.mark(BigInt(mid)), true);
      assert.equal(a.nextFree(mid), undefined);
    });
  }

  it('has, mark and release check ranges and accept number or bigint', () => {
    const a = new RangeAllocator(10n);
    assert.equal(a.mark(3), true);
    assert.equal(a.has(3n), true);
    assert.equal(a.mark(3n), false);
    assert.equal(a.has(-1), false);
    assert.equal(a.has(10), false);
    assert.equal(a.has(1.5), false);
    assert.equal(a.has(2n ** 70n), false);
    assert.throws(() => a.mark(10), RangeError);
    assert.throws(() => a.mark(-1n), RangeError);
    assert.throws(() => a.mark(0.5), RangeError);
    assert.throws(() => a.release(10n), RangeError);
    a.release(3n);
    assert.equal(a.used, 0);
  });

  it('nextFree scans [from, size) then [0, from) without until, and [from, until) with it', () => {
    const a = new RangeAllocator(10);
    for (let i = 5; i < 10; i++) a.mark(i);
    assert.equal(a.nextFree(0), 0n);
    assert.equal(a.nextFree(3), 3n);
    assert.equal(a.nextFree(7), 0n); // wraps
    assert.equal(a.nextFree(10), 0n); // from == size is "start over"
    assert.equal(a.nextFree(1000), 0n); // clamped
    assert.equal(a.nextFree(7, 10), undefined); // no wrap with until
    assert.equal(a.nextFree(2, 4), 2n);
    assert.equal(a.nextFree(4, 4), undefined); // empty span
    assert.equal(a.nextFree(5, 100), undefined); // until clamped
    a.mark(2);
    a.mark(3);
    assert.equal(a.nextFree(2, 4), undefined);
    assert.equal(a.nextFree(2, 5), 4n);
    assert.throws(() => a.nextFree(-1), RangeError);
    assert.throws(() => a.nextFree(0, -1), RangeError);
    assert.throws(() => a.nextFree(0.5), RangeError);
  });

  it('the free-word hint survives releases below it', () => {
    const a = new RangeAllocator(200);
    for (let i = 0; i < 200; i++) a.mark(i);
    assert.equal(a.firstFree(), undefined);
    a.release(150);
    assert.equal(a.firstFree(), 150n); // advances the hint past the full words
    a.release(3);
    assert.equal(a.firstFree(), 3n); // a release below the hint lowers it
    a.mark(3);
    assert.equal(a.firstFree(), 150n);
    assert.equal(a.nextFree(151), 150n);
    assert.equal(a.nextFree(0, 150), undefined);
  });

  it('a size-0 range has nothing to give', () => {
    const a = new RangeAllocator(0);
    assert.equal(a.size, 0n);
    assert.equal(a.firstFree(), undefined);
    assert.equal(a.nextFree(0), undefined);
    assert.equal(a.has(0), false);
    assert.throws(() => a.mark(0), RangeError);
  });

  it('rejects invalid sizes', () => {
    assert.throws(() => new RangeAllocator(-1), RangeError);
    assert.throws(() => new RangeAllocator(-1n), RangeError);
    assert.throws(() => new RangeAllocator(1.5), RangeError);
  });

  // The same operations against a naive model, in both storage modes. The set-mode allocator
  // is given a size past the bitmap limit but only offsets in a small window are exercised.
  for (const [label, size, window] of [
    ['bitmap', 1000n, 1000],
    ['bitmap at the 2^24 limit', 1n << 24n, 300],
    ['set just past the limit', (1n << 24n) + 1n, 300],
    ['set, 2^64', 1n << 64n, 300],
  ] as const) {
    it(`matches a naive model under random operations (${label})`, () => {
      const rand = mulberry32(42);
      const a = new RangeAllocator(size);
      const model = new Set<bigint>();
      // Offsets near both ends of the range, so wraparound is exercised in big ranges too.
      const pick = (): bigint => {
        const k = BigInt(Math.floor(rand() * window));
        return rand() < 0.5 || size <= BigInt(window) ? k : size - 1n - k;
      };
      const candidates = (lo: bigint, hi: bigint): bigint | undefined => {
        // The naive answer: the smallest free offset in [lo, hi) among the window's offsets
        // or any offset adjacent to a used one (enough to cover every possible answer).
        let best: bigint | undefined;
        const consider = (k: bigint) => {
          if (k >= lo && k < hi && !model.has(k) && (best === undefined || k < best)) best = k;
        };
        consider(lo);
        for (const u of model) consider(u + 1n);
        return best;
      };
      for (let step = 0; step < 4000; step++) {
        const op = rand();
        const k = pick();
        if (op < 0.45) {
          assert.equal(a.mark(k), !model.has(k));
          model.add(k);
        } else if (op < 0.6) {
          a.release(k);
          model.delete(k);
        } else if (op < 0.8) {
          const want = candidates(k, size) ?? candidates(0n, k);
          assert.equal(a.nextFree(k), want, `nextFree(${k})`);
        } else if (op < 0.9) {
          const until = k + BigInt(Math.floor(rand() * 70));
          const hi = until > size ? size : until;
          assert.equal(a.nextFree(k, until), candidates(k, hi), `nextFree(${k}, ${until})`);
        } else {
          assert.equal(a.firstFree(), candidates(0n, size));
        }
        assert.equal(a.has(k), model.has(k));
        assert.equal(a.used, model.size);
      }
    });
  }

  it('uses the set mode for a 2^64 IPv6 range', () => {
    const c = cidr('fd00:10:244:1::/64');
    const a = new RangeAllocator(cidrSize(c));
    assert.equal(a.size, 1n << 64n);
    const top = (1n << 64n) - 1n;
    assert.equal(a.mark(0), true);
    assert.equal(a.mark(top), true);
    assert.equal(a.mark(top), false);
    assert.equal(a.has(top), true);
    assert.equal(a.has(1n << 64n), false);
    assert.throws(() => a.mark(1n << 64n), RangeError);
    assert.equal(a.firstFree(), 1n);
    assert.equal(a.nextFree(top), 1n); // wraps
    assert.equal(a.nextFree(top - 1n), top - 1n);
    assert.equal(a.nextFree(top, 1n << 64n), undefined);
    assert.equal(a.nextFree(2n ** 60n), 2n ** 60n);
    assert.throws(() => a.nextFree(2 ** 60), RangeError); // past 2^53 a number is not exact
    assert.equal(formatIP(nthAddress(c, a.nextFree(top) as bigint)), 'fd00:10:244:1::1');
    a.release(0n);
    assert.equal(a.firstFree(), 0n);
    assert.equal(a.used, 1);
  });

  it('stays cheap for repeated firstFree allocation (bitmap and set)', () => {
    const start = performance.now();
    const bitmap = new RangeAllocator(1 << 20);
    for (let i = 0; i < 1 << 20; i++) {
      const off = bitmap.firstFree();
      assert.equal(off, BigInt(i));
      bitmap.mark(off);
    }
    assert.equal(bitmap.firstFree(), undefined);
    const set = new RangeAllocator(1n << 64n);
    for (let i = 0; i < 50_000; i++) set.mark(set.firstFree() as bigint);
    assert.equal(set.firstFree(), 50_000n);
    // Without the hints these are quadratic (minutes); with them, well under a second.
    assert.ok(performance.now() - start < 5000, `took ${performance.now() - start}ms`);
  });

  it('allocates 150,000 pod addresses across per-node /24s', () => {
    const cluster = cidr('10.244.0.0/16');
    const nodes = 600; // 600 nodes x 250 pods
    const allocators = Array.from({ length: nodes }, () => new RangeAllocator(256));
    const seen = new Set<string>();
    for (let n = 0; n < nodes; n++) {
      const pod = subnet(cluster, 24, n % 256);
      const alloc = allocators[n];
      alloc.mark(0); // network address
      let last = 0n;
      for (let p = 0; p < 250; p++) {
        const off = alloc.nextFree(last + 1n) as bigint;
        alloc.mark(off);
        last = off;
        if (n < 256) seen.add(ipKey(nthAddress(pod, off)));
      }
    }
    assert.equal(seen.size, 256 * 250);
  });
});
