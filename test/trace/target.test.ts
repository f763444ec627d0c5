// FROM and TO of `podnet trace` (src/trace/target.ts): every form DESIGN.md lists, hostile
// input, and the forms of the Service/DNS/Ingress layers, refused rather than answered wrongly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PodnetError } from '../../src/api/errors.js';
import { formatIP } from '../../src/ip/index.js';
import { type DestinationSpec, parseDestination, parseSource } from '../../src/trace/target.js';

/** A destination as comparable text: `pod x/a 80/TCP`, `ip fd00::1 http`, `node n -`. */
function show(d: DestinationSpec): string {
  const what =
    d.kind === 'ip'
      ? `ip ${formatIP(d.ip)}`
      : d.kind === 'pod'
        ? `pod ${d.namespace}/${d.name}`
        : `node ${d.name}`;
  const port = d.port ? `${d.port.port}${d.port.protocol ? `/${d.port.protocol}` : ''}` : '-';
  return `${what} ${port}`;
}

test('trace TO: pods, nodes and addresses, with an optional port and protocol (DESIGN.md, podnet trace)', () => {
  const cases: [string, string][] = [
    ['x/a', 'pod x/a -'],
    ['x/a:80', 'pod x/a 80'],
    ['x/a:80/UDP', 'pod x/a 80/UDP'],
    ['x/a:80/sctp', 'pod x/a 80/SCTP'],
    ['x/a:http', 'pod x/a http'],
    ['x/a:http/TCP', 'pod x/a http/TCP'],
    ['node/podnet-worker:10250', 'node podnet-worker 10250'],
    ['10.244.1.5:5432', 'ip 10.244.1.5 5432'],
    ['10.244.1.5', 'ip 10.244.1.5 -'],
    ['[fd00:10:244:1::5]:80/UDP', 'ip fd00:10:244:1::5 80/UDP'],
    ['[fd00::1]', 'ip fd00::1 -'],
    ['fd00::1', 'ip fd00::1 -'],
    ['65535.example/a:65535', 'pod 65535.example/a 65535'],
  ];
  for (const [text, want] of cases) assert.equal(show(parseDestination(text)), want, text);
});

test('trace FROM: NS/POD, node/NAME or external', () => {
  assert.deepEqual(parseSource('x/a'), { kind: 'pod', namespace: 'x', name: 'a' });
  assert.deepEqual(parseSource('node/podnet-worker'), { kind: 'node', name: 'podnet-worker' });
  assert.deepEqual(parseSource('external'), { kind: 'external' });
});

function usage(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof PodnetError, String(e));
    assert.equal(e.code, 'InvalidUsage');
    assert.match(e.message, pattern);
    return true;
  });
}

test('trace TO: malformed input is bad usage with a message that says what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /empty TO/],
    ['x/a:0', /invalid port 0 .*between 1 and 65535/],
    ['x/a:65536', /invalid port 65536/],
    ['x/a:99999999999999999999999', /invalid port 99999999999999999999999/],
    ['x/a:', /empty port/],
    ['x/a:80/ICMP', /invalid protocol "ICMP".*TCP, UDP, SCTP/],
    ['x/a:80/', /invalid protocol ""/],
    ['x/a:-http', /invalid port "-http".*port name/],
    ['x/a:HTTP', /invalid port "HTTP"/],
    ['x/a/b:80', /invalid TO "x\/a\/b:80"/],
    ['/a:80', /invalid TO/],
    ['x/:80', /invalid TO/],
    ['10.244.1.300:80', /"10.244.1.300" is not an IP address/],
    ['1.2.3:80', /not an IP address/],
    ['fd00::1:80:xyz', /not an IPv6 address/],
    ['fe80::1%eth0:80', /not an IPv6 address/],
    ['[10.0.0.1]:80', /only an IPv6 address goes in brackets/],
    ['[fd00::1]80', /in brackets is \[ADDRESS\]:PORT/],
    ['x/a:80:81', /invalid TO/],
    ['bad name!:80', /invalid TO/],
  ];
  for (const [text, pattern] of cases) usage(() => parseDestination(text), pattern);
});

test('trace TO: an IPv6 address followed by a port without brackets is refused with the bracketed form', () => {
  // `fd00::1:80` is itself an address, so it is taken as one; a non-address prefix gets the hint.
  usage(() => parseDestination('fd00::1:80/TCP'), /write \[fd00::1\]:80\/TCP/);
});

test('trace TO: Services, DNS names and URLs belong to the Service layer and are refused, never answered wrongly', () => {
  const cases: [string, RegExp][] = [
    [
      'svc/shop-web/frontend:80',
      /names a Service: tracing through Services, DNS and Ingress is not supported yet/,
    ],
    ['service/default/my-nginx:80', /names a Service/],
    ['my-nginx:80', /is a DNS name .*not supported yet/],
    ['my-nginx.default.svc.cluster.local:80', /is a DNS name/],
    ['my-nginx.default.svc.cluster.local.:80', /is a DNS name/],
    ['http://shop.example.com/api', /is a URL: tracing through Services/],
    ['https://10.0.0.1:443/', /is a URL/],
  ];
  for (const [text, pattern] of cases) usage(() => parseDestination(text), pattern);
});

test('trace FROM: malformed or unsupported sources are bad usage', () => {
  const cases: [string, RegExp][] = [
    ['', /empty FROM/],
    ['a', /invalid FROM "a": FROM is NS\/POD, node\/NAME or external/],
    ['x/a/b', /invalid FROM/],
    ['x/', /invalid FROM/],
    ['svc/x/web', /names a Service, which never opens a connection/],
    ['10.244.1.5', /is an address: .*external --from-ip 10.244.1.5/],
    ['External', /invalid FROM/],
  ];
  for (const [text, pattern] of cases) usage(() => parseSource(text), pattern);
});
