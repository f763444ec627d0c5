// FROM and TO of `podnet trace` (src/trace/target.ts): every form DESIGN.md lists, and hostile
// input refused before anything is loaded.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PodnetError } from '../../src/api/errors.js';
import { formatIP } from '../../src/ip/index.js';
import { type DestinationSpec, parseDestination, parseSource } from '../../src/trace/target.js';

/** A destination as comparable text: `pod x/a 80/TCP`, `ip fd00::1 http`, `url https shop 443 /`. */
function show(d: DestinationSpec): string {
  let what: string;
  switch (d.kind) {
    case 'ip':
      what = `ip ${formatIP(d.ip)}`;
      break;
    case 'pod':
    case 'service':
      what = `${d.kind} ${d.namespace}/${d.name}`;
      break;
    case 'node':
    case 'name':
      what = `${d.kind} ${d.name}`;
      break;
    case 'url':
      return `url ${d.url.scheme} ${d.url.host}${d.url.ip ? ` (${d.url.ip.family})` : ''} ${d.url.port} ${d.url.path}`;
  }
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
    ['65535-example/a:65535', 'pod 65535-example/a 65535'],
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

test('trace TO: malformed pods, ports and addresses are bad usage with a message that says what is wrong', () => {
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

test('trace TO: Services svc/NS/NAME[:PORT], DNS names with a port, URLs (DESIGN.md, podnet trace)', () => {
  const cases: [string, string][] = [
    ['svc/shop-web/frontend:80', 'service shop-web/frontend 80'],
    ['service/default/my-nginx', 'service default/my-nginx -'],
    ['services/shop-api/api:http', 'service shop-api/api http'],
    ['svc/kube-system/kube-dns:53/UDP', 'service kube-system/kube-dns 53/UDP'],
    ['my-nginx:80', 'name my-nginx 80'],
    ['my-nginx.default.svc.cluster.local:80', 'name my-nginx.default.svc.cluster.local 80'],
    ['my-nginx.default.svc.cluster.local.:80', 'name my-nginx.default.svc.cluster.local. 80'],
    ['_http._tcp.web:80', 'name _http._tcp.web 80'],
    ['kube-dns.kube-system:53/UDP', 'name kube-dns.kube-system 53/UDP'],
    ['http://shop.example.com/api', 'url http shop.example.com 80 /api'],
    ['https://Shop.Example.COM/', 'url https shop.example.com 443 /'],
    ['HTTP://shop.example.com:8080', 'url http shop.example.com 8080 /'],
    ['http://shop.example.com/a/./b/../c?q=1#top', 'url http shop.example.com 80 /a/c?q=1'],
    ['https://10.0.0.1:8443/', 'url https 10.0.0.1 (IPv4) 8443 /'],
    ['http://[fd00::1]:8080/x', 'url http fd00::1 (IPv6) 8080 /x'],
    ['http://my-nginx/', 'url http my-nginx 80 /'],
  ];
  for (const [text, want] of cases) assert.equal(show(parseDestination(text)), want, text);
});

test('trace TO: hostile URLs, names and Service references are bad usage that says what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['ftp://files.example.com/', /unsupported scheme ftp .*only http:\/\/ and https:\/\//],
    ['file:///etc/passwd', /unsupported scheme file/],
    ['javascript://x', /unsupported scheme javascript/],
    ['http://user:secret@shop.example.com/', /carries credentials: leave them out/],
    ['http://user@shop.example.com/', /carries credentials/],
    ['http:///path', /has no host/],
    ['http://', /has no host/],
    ['http://shop.example.com:0/', /invalid port 0 in URL/],
    ['http://shop.example.com:65536/', /invalid port 65536 in URL/],
    ['http://shop.example.com:99999999999/', /invalid port 99999999999 in URL/],
    ['http://shop.example.com:abc/', /invalid URL/],
    ['http://[fd00::1/', /invalid URL/],
    ['http://[fd00::zz]/', /invalid URL/],
    ['http://exa mple.com/', /invalid URL/],
    ['http://*.example.com/', /invalid host "\*\.example\.com"/],
    ['http://-bad.example.com/', /invalid host "-bad\.example\.com"/],
    // Namespaces are DNS labels: with a dot, this is a host and a path.
    ['65535.example/a:65535', /a URL needs its scheme/],
    ['shop.example.com/api', /a URL needs its scheme \(http:\/\/shop\.example\.com\/api\)/],
    ['my-nginx', /is a DNS name: give the port, my-nginx:PORT/],
    ['my-nginx:http', /a client connects to a port number, not a name/],
    ['my-nginx:0', /invalid port 0/],
    ['my-nginx:70000', /invalid port 70000/],
    ['a..b:80', /invalid TO/],
    [`${'a'.repeat(64)}.example:80`, /invalid TO/],
    ['svc//x:80', /a Service is svc\/NS\/NAME\[:PORT\]/],
    ['svc/x/:80', /a Service is svc\/NS\/NAME/],
    ['svc/x/web:0', /invalid port 0/],
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
