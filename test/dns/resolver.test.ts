import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodable, expandQuery, ndotsOf, type ResolverConfig, resolve } from '../../src/dns/resolver.js';
import type { Rcode, ZoneAnswer } from '../../src/dns/types.js';

/** A pod in namespace `default` with ClusterFirst: the kubelet's resolv.conf. */
const POD: ResolverConfig = {
  searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
  options: [{ name: 'ndots', value: '5' }],
};

const answer = (rcode: Rcode, records = 0): ZoneAnswer => ({
  rcode,
  authoritative: rcode !== 'REFUSED',
  answers: Array.from({ length: records }, () => ({
    name: 'x.',
    ttl: 5,
    data: { type: 'A' as const, address: '10.96.0.11' },
  })),
  authority: [],
  additional: [],
});

/** A lookup from a table of names (any other name: NXDOMAIN), recording what was asked. */
function fakeZone(table: Record<string, ZoneAnswer>) {
  const asked: string[] = [];
  const lookup = (name: string) => {
    asked.push(name);
    return table[name] ?? answer('NXDOMAIN');
  };
  return { lookup, asked };
}

const EXPANSIONS: { rule: string; name: string; conf: ResolverConfig; expect: string[] }[] = [
  {
    rule: 'dots < ndots: every search domain in order, then the name as is, last',
    name: 'my-svc',
    conf: POD,
    expect: [
      'my-svc.default.svc.cluster.local.',
      'my-svc.svc.cluster.local.',
      'my-svc.cluster.local.',
      'my-svc.',
    ],
  },
  {
    rule: 'a name with dots but fewer than ndots is still searched first (svc.ns with ndots:5)',
    name: 'kubernetes.default',
    conf: POD,
    expect: [
      'kubernetes.default.default.svc.cluster.local.',
      'kubernetes.default.svc.cluster.local.',
      'kubernetes.default.cluster.local.',
      'kubernetes.default.',
    ],
  },
  {
    rule: 'dots >= ndots: the name as is first, then every search domain',
    name: 'a.b.c.d.e.f',
    conf: POD,
    expect: [
      'a.b.c.d.e.f.',
      'a.b.c.d.e.f.default.svc.cluster.local.',
      'a.b.c.d.e.f.svc.cluster.local.',
      'a.b.c.d.e.f.cluster.local.',
    ],
  },
  {
    rule: 'a trailing dot makes the name absolute: only itself',
    name: 'my-svc.default.svc.cluster.local.',
    conf: POD,
    expect: ['my-svc.default.svc.cluster.local.'],
  },
  {
    rule: 'ndots defaults to 1 (glibc resolv_conf_parser_init): one dot goes as is first',
    name: 'example.com',
    conf: { searches: ['corp.example'], options: [] },
    expect: ['example.com.', 'example.com.corp.example.'],
  },
  {
    rule: 'no search list: the name as is only',
    name: 'db',
    conf: { searches: [], options: [] },
    expect: ['db.'],
  },
  {
    rule: 'no-tld-query: a dotless name is not tried as is after the search list',
    name: 'db',
    conf: { searches: ['a.example'], options: [{ name: 'no-tld-query' }] },
    expect: ['db.a.example.'],
  },
  {
    rule: 'no_tld_query (old spelling) does not stop a dotted name from being tried as is',
    name: 'db.x',
    conf: { searches: ['a.example'], options: [{ name: 'ndots', value: '3' }, { name: 'no_tld_query' }] },
    expect: ['db.x.a.example.', 'db.x.'],
  },
  {
    rule: 'the root on the search list is the as-is query; it is not repeated at the end',
    name: 'db',
    conf: { searches: ['a.example', '.', 'b.example'], options: [] },
    expect: ['db.a.example.', 'db.', 'db.b.example.'],
  },
  {
    rule: 'a search domain with a trailing dot or a leading dot is the same domain',
    name: 'db',
    conf: { searches: ['a.example.', '.b.example'], options: [] },
    expect: ['db.a.example.', 'db.b.example.', 'db.'],
  },
  {
    rule: 'ndots:0: every name goes as is first',
    name: 'db',
    conf: { searches: ['a.example'], options: [{ name: 'ndots', value: '0' }] },
    expect: ['db.', 'db.a.example.'],
  },
];

for (const { rule, name, conf, expect } of EXPANSIONS) {
  test(`resolver: ${rule} (glibc __res_context_search)`, () => {
    assert.deepEqual(expandQuery(name, conf), expect);
    // expandQuery is the walk of resolve when nothing answers.
    const { lookup, asked } = fakeZone({});
    const r = resolve(name, 'A', conf, lookup);
    assert.deepEqual(asked, expect);
    assert.equal(r.found, false);
  });
}

test('resolver: the search stops at the first NOERROR answer with data (glibc __res_context_query success)', () => {
  const { lookup, asked } = fakeZone({ 'kubernetes.default.svc.cluster.local.': answer('NOERROR', 1) });
  const r = resolve('kubernetes.default', 'A', POD, lookup);
  assert.deepEqual(asked, [
    'kubernetes.default.default.svc.cluster.local.',
    'kubernetes.default.svc.cluster.local.',
  ]);
  assert.equal(r.found, true);
  assert.equal(r.result.name, 'kubernetes.default.svc.cluster.local.');
  assert.deepEqual(
    r.tried.map((a) => a.answer?.rcode),
    ['NXDOMAIN', 'NOERROR'],
  );
});

test('resolver: NODATA (NOERROR, no records) goes on to the next search domain; NODATA is the error reported', () => {
  const { lookup, asked } = fakeZone({ 'db.svc.cluster.local.': answer('NOERROR') });
  const r = resolve('db', 'AAAA', POD, lookup);
  assert.equal(asked.length, 4);
  assert.equal(r.found, false);
  assert.equal(r.result.name, 'db.svc.cluster.local.');
  assert.equal(r.result.answer?.rcode, 'NOERROR');
});

test('resolver: SERVFAIL goes on to the next search domain and is reported when nothing has data (got_servfail)', () => {
  const { lookup, asked } = fakeZone({ 'db.default.svc.cluster.local.': answer('SERVFAIL') });
  const r = resolve('db', 'A', POD, lookup);
  assert.equal(asked.length, 4);
  assert.equal(r.result.name, 'db.default.svc.cluster.local.');
  assert.equal(r.result.answer?.rcode, 'SERVFAIL');
});

test('resolver: NODATA outranks SERVFAIL among the search domains, whichever came first (glibc h_errno order)', () => {
  const { lookup } = fakeZone({
    'db.default.svc.cluster.local.': answer('SERVFAIL'),
    'db.cluster.local.': answer('NOERROR'),
  });
  assert.equal(resolve('db', 'A', POD, lookup).result.name, 'db.cluster.local.');
});

test('resolver: an as-is NODATA after a search-list SERVFAIL reports SERVFAIL (got_servfail overrides the last query)', () => {
  const conf: ResolverConfig = { searches: ['a.example'], options: [] };
  const { lookup } = fakeZone({ 'db.a.example.': answer('SERVFAIL'), 'db.': answer('NOERROR') });
  const r = resolve('db', 'A', conf, lookup);
  assert.equal(r.result.name, 'db.a.example.');
});

test('resolver: REFUSED stops the search list, then the name is tried as is ("in case it is fully-qualified")', () => {
  const conf: ResolverConfig = {
    searches: ['default.svc.cluster.local', 'corp.example', 'cluster.local'],
    options: [{ name: 'ndots', value: '5' }],
  };
  const { lookup, asked } = fakeZone({ 'db.corp.example.': answer('REFUSED'), 'db.': answer('REFUSED') });
  const r = resolve('db', 'A', conf, lookup);
  assert.deepEqual(asked, ['db.default.svc.cluster.local.', 'db.corp.example.', 'db.']);
  // With no NODATA or SERVFAIL, the error is the last query's.
  assert.equal(r.result.name, 'db.');
  assert.equal(r.result.answer?.rcode, 'REFUSED');
});

test('resolver: when the name went as is first, its error is the one reported (saved_herrno)', () => {
  const { lookup } = fakeZone({ 'a.b.c.d.e.f.svc.cluster.local.': answer('NOERROR') });
  const r = resolve('a.b.c.d.e.f', 'A', POD, lookup);
  assert.equal(r.tried.length, 4);
  assert.equal(r.result.name, 'a.b.c.d.e.f.');
  assert.equal(r.result.answer?.rcode, 'NXDOMAIN');
});

test('resolver: an absolute name ends the search whatever its answer', () => {
  const { lookup } = fakeZone({ 'db.': answer('REFUSED') });
  const r = resolve('db.', 'A', POD, lookup);
  assert.deepEqual(
    r.tried.map((a) => a.name),
    ['db.'],
  );
  assert.equal(r.result.answer?.rcode, 'REFUSED');
});

test('resolver: a name longer than 253 characters with its search domain is never sent, and ends the search list (res_mkquery fails: NO_RECOVERY)', () => {
  const name = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}`; // 243 characters
  const { lookup, asked } = fakeZone({});
  const r = resolve(name, 'A', { searches: ['svc.cluster.local', 'x.y'], options: [] }, lookup);
  // ndots 1: as is first (sent), then the first search name (too long: not sent, stop).
  assert.deepEqual(asked, [`${name}.`]);
  assert.deepEqual(
    r.tried.map((a) => [a.name, a.answer?.rcode]),
    [
      [`${name}.`, 'NXDOMAIN'],
      [`${name}.svc.cluster.local.`, undefined],
    ],
  );
  assert.equal(r.result.name, `${name}.`);
});

test('resolver: encodable names are 1-63 character labels, 253 characters in all (RFC 1035 §2.3.4)', () => {
  assert.equal(encodable('.'), true);
  assert.equal(encodable(`${'a'.repeat(63)}.`), true);
  assert.equal(encodable(`${'a'.repeat(64)}.`), false);
  assert.equal(encodable('a..b.'), false);
  const l63 = 'a'.repeat(63);
  assert.equal(encodable(`${l63}.${l63}.${l63}.${'b'.repeat(61)}.`), true); // 253 characters
  assert.equal(encodable(`${l63}.${l63}.${l63}.${'b'.repeat(62)}.`), false); // 254
});

const NDOTS: { option: string | undefined; ndots: number }[] = [
  { option: undefined, ndots: 1 },
  { option: '5', ndots: 5 },
  { option: '15', ndots: 15 },
  { option: '16', ndots: 15 },
  { option: '1000', ndots: 15 },
  { option: 'x', ndots: 0 },
  { option: '3x', ndots: 3 },
  { option: '', ndots: 0 },
  { option: '-1', ndots: 15 },
];

for (const { option, ndots } of NDOTS) {
  test(`resolver: options ndots:${option ?? '(none)'} is ${ndots} (glibc res_setoptions: atoi, at most RES_MAXNDOTS 15, a 4-bit field)`, () => {
    const options = option === undefined ? [] : [{ name: 'ndots', value: option }];
    assert.equal(ndotsOf({ searches: [], options }), ndots);
  });
}

test('resolver: the last ndots option wins (options are read in order)', () => {
  assert.equal(
    ndotsOf({
      searches: [],
      options: [
        { name: 'ndots', value: '5' },
        { name: 'ndots', value: '2' },
      ],
    }),
    2,
  );
});
