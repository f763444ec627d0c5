import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { PodnetError } from '../../src/api/errors.js';
import { parseUpstream } from '../../src/cli/dns.js';
import { RCODE } from '../../src/dns/wire.js';
import { decodeMessage, encodeQuery } from '../../src/dns/wire-message.js';
import { podnet, REPO } from '../cli/cli.js';
import { podnetUpstream, WWW } from './forward-fixtures.js';

const SHOP = ['-f', 'examples/shop'];

const UPSTREAMS: { text: string; parsed: { address: string; port: number } }[] = [
  { text: '192.0.2.53', parsed: { address: '192.0.2.53', port: 53 } },
  { text: '127.0.0.1:5353', parsed: { address: '127.0.0.1', port: 5353 } },
  { text: 'fd00::53', parsed: { address: 'fd00::53', port: 53 } },
  { text: '::1', parsed: { address: '::1', port: 53 } },
  { text: '[::1]', parsed: { address: '::1', port: 53 } },
  { text: '[fd00::53]:1053', parsed: { address: 'fd00::53', port: 1053 } },
];

test('dns serve: --upstream takes IP or IP:PORT, IPv6 bare or in brackets, port 53 by default (CoreDNS forward TO)', () => {
  for (const { text, parsed } of UPSTREAMS) assert.deepEqual(parseUpstream(text), parsed, text);
  for (const bad of [
    'localhost',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    '[127.0.0.1]:53',
    'fd00::53:53:x',
    '',
    ':53',
  ]) {
    assert.throws(() => parseUpstream(bad), PodnetError, bad);
  }
});

test('dns serve: a bad --upstream is bad usage, exit 2', () => {
  const r = podnet(['dns', 'serve', '--listen', '127.0.0.1:0', '--upstream', 'dns.example', ...SHOP]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /invalid --upstream "dns\.example"/);
});

/** `podnet dns serve` on 127.0.0.1, port 0, with ARGS; resolves once it says where it listens. */
function serve(args: string[]): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, [join(REPO, 'dist/src/cli/main.js'), 'dns', 'serve', ...args], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const m = /on 127\.0\.0\.1:(\d+) \(UDP and TCP\)/.exec(stderr);
      if (m) resolve({ child, port: Number(m[1]), stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`podnet dns serve exited ${code}: ${stderr}`)));
  });
}

test('dns serve --upstream: names outside the cluster go to the upstream, cluster names are answered locally', async () => {
  const upstream = await podnetUpstream();
  const { child, port, stderr } = await serve([
    '--listen',
    '127.0.0.1:0',
    '--upstream',
    `127.0.0.1:${upstream.port}`,
    ...SHOP,
  ]);
  const client = createSocket('udp4');
  try {
    assert.match(stderr(), new RegExp(`forwarding other names to 127\\.0\\.0\\.1:${upstream.port}`));
    const ask = async (name: string) => {
      client.send(encodeQuery(name, 'A', { id: 3 }), port, '127.0.0.1');
      const [reply] = (await once(client, 'message', { signal: AbortSignal.timeout(5000) })) as [Buffer];
      return decodeMessage(reply);
    };
    const outside = await ask(WWW);
    assert.equal(outside.rcode, RCODE.NOERROR);
    assert.deepEqual(outside.answers[0]?.data, { type: 'A', address: '192.0.2.1' });
    const inside = await ask('frontend.shop-web.svc.cluster.local.');
    assert.equal(inside.answers[0]?.data?.type, 'A');
    assert.deepEqual(upstream.asked, [WWW]);
  } finally {
    client.close();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
    await upstream.close();
  }
});
