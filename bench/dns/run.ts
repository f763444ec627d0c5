// podnet's DNS server against Knot DNS, in one run, on the same zone and the same queries. The
// scale generator's cluster is written as manifests; `podnet dns zone` prints its master file,
// which knotd loads; `podnet dns serve` reads the same manifests. Both servers are pinned to
// core 1 and dnsperf to core 0; each is asked the same dig sample first (rcodes and answers
// must agree), then measured with dnsperf in alternating rounds. Loopback only; every process
// started here is stopped by its PID and the temp dir removed, also on failure.
//
//   npm run bench:dns                                    scale 0.1: 1,000 Services, 15,000 pods
//   npm run bench:dns -- --seconds 5 --rounds 1          a quick check
//   npm run bench:dns -- --profile /tmp/prof             also a V8 CPU profile of podnet's server

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateEnvelope } from '../scale/generate.js';
import { dnsperfFile, type Query, queryMix, zoneNames } from './queries.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '1' },
    queries: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '15' },
    clients: { type: 'string', default: '8' },
    outstanding: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '2' },
    sample: { type: 'string', default: '300' },
    'latency-qps': { type: 'string', default: '20000' },
    profile: { type: 'string' },
  },
});
const scale = Number(values.scale);
const seed = Number(values.seed);
const nQueries = Number(values.queries);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const sampleSize = Number(values.sample);
const latencyQPS = Number(values['latency-qps']);
if (!(scale > 0) || !Number.isInteger(seed) || !(nQueries > 0) || !(seconds > 0) || !(rounds > 0)) {
  console.error(
    'usage: run.js [--scale F] [--seed N] [--queries N] [--seconds S] [--clients N] [--outstanding N] [--rounds N] [--sample N] [--profile DIR]',
  );
  process.exit(2);
}

const SERVER_CORE = '1';
const CLIENT_CORE = '0';
const HOST = '127.0.0.1';
const CLI = resolve('dist/src/cli/main.js');
const DOMAIN = 'cluster.local.';

interface Server {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
}

const started: ChildProcess[] = [];
const work = mkdtempSync(join(tmpdir(), 'podnet-bench-dns-'));

/** Runs to completion; throws with its stderr when it fails. */
function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function startChild(name: string, cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let log = '';
  const keep = (b: Buffer) => {
    log = (log + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${name} exited early (${code ?? signal}):\n${log}`);
  });
  return child;
}

let stopping = false;
/** SIGTERM to each child by PID (node writes its CPU profile on the way out), SIGKILL after 10 s. */
async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all(
    started.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return done();
          const timer = setTimeout(
            () => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'),
            10_000,
          );
          child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          process.kill(child.pid, 'SIGTERM');
        }),
    ),
  );
}

/** A port free for both UDP and TCP on loopback (both servers bind both). */
async function freePort(): Promise<number> {
  for (;;) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((done) => udp.bind(0, HOST, () => done(udp.address().port)));
    const tcpFree = await new Promise<boolean>((done) => {
      const s = createServer();
      s.once('error', () => done(false));
      s.listen(port, HOST, () => s.close(() => done(true)));
    });
    await new Promise<void>((done) => udp.close(() => done()));
    if (tcpFree) return port;
  }
}

interface DigAnswer {
  rcode: string;
  answers: string[];
}

/** dig's batch mode: one process for the whole sample; answers normalised and sorted. */
function digAll(port: number, queries: readonly Query[]): DigAnswer[] {
  const batch = join(work, `dig-${port}.txt`);
  writeFileSync(batch, queries.map((q) => `${q.name} ${q.type}\n`).join(''));
  const out = run('dig', [
    `@${HOST}`,
    '-p',
    String(port),
    '+norec',
    '+tries=1',
    '+time=2',
    '+noall',
    '+comments',
    '+answer',
    '-f',
    batch,
  ]);
  const results: DigAnswer[] = [];
  for (const line of out.split('\n')) {
    const status = /status: ([A-Z]+)/.exec(line);
    if (status) results.push({ rcode: status[1], answers: [] });
    else if (line && !line.startsWith(';') && results.length > 0) {
      results[results.length - 1].answers.push(line.split(/\s+/).join(' ').toLowerCase());
    }
  }
  for (const r of results) r.answers.sort();
  if (results.length !== queries.length) {
    throw new Error(`dig on port ${port}: ${results.length} answers to ${queries.length} queries`);
  }
  return results;
}

async function waitFor(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up in 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Answers the apex SOA over UDP: the server is up and has loaded the zone. */
function answersSOA(port: number): boolean {
  const r = spawnSync(
    'dig',
    [`@${HOST}`, '-p', String(port), '+norec', '+tries=1', '+time=1', DOMAIN, 'SOA'],
    {
      encoding: 'utf8',
    },
  );
  return /status: NOERROR/.test(r.stdout) && /IN\s+SOA/.test(r.stdout);
}

async function startKnot(zoneFile: string): Promise<Server> {
  const port = await freePort();
  const dir = join(work, 'knot');
  for (const d of ['zones', 'db', 'run']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'zones', 'cluster.local.zone'), readFileSync(zoneFile));
  const conf = join(dir, 'knot.conf');
  // One UDP worker on its one core, as podnet's one thread; no journal, no zone file write-back.
  writeFileSync(
    conf,
    [
      'server:',
      `    rundir: "${join(dir, 'run')}"`,
      `    listen: ${HOST}@${port}`,
      '    udp-workers: 1',
      '    tcp-workers: 1',
      '    background-workers: 1',
      'control:',
      `    listen: "${join(dir, 'run', 'knot.sock')}"`,
      'database:',
      `    storage: "${join(dir, 'db')}"`,
      'log:',
      '  - target: stderr',
      '    any: warning',
      'template:',
      '  - id: default',
      `    storage: "${join(dir, 'zones')}"`,
      '    zonefile-sync: -1',
      '    zonefile-load: whole',
      '    journal-content: none',
      'zone:',
      `  - domain: ${DOMAIN}`,
      '    file: cluster.local.zone',
      '',
    ].join('\n'),
  );
  run('knotc', ['-c', conf, 'conf-check']);
  const child = startChild('knotd', 'taskset', ['-c', SERVER_CORE, 'knotd', '-c', conf]);
  await waitFor('knotd', () => answersSOA(port));
  // knotd pins its UDP worker i to CPU i itself (overriding the affinity it was started with),
  // which put it on dnsperf's core: move every thread back to the server core.
  run('taskset', ['-a', '-c', '-p', SERVER_CORE, String(child.pid)]);
  checkPinned('knotd', child.pid as number);
  return { name: 'Knot DNS', port, child };
}

async function startPodnet(manifests: string, config: string): Promise<Server> {
  const port = await freePort();
  const prof = values.profile ? ['--cpu-prof', '--cpu-prof-dir', resolve(values.profile)] : [];
  const args = ['-c', SERVER_CORE, process.execPath, ...prof, CLI, 'dns', 'serve', '-f', manifests];
  const child = startChild('podnet', 'taskset', [...args, '--config', config, '--listen', `${HOST}:${port}`]);
  await waitFor('podnet dns serve', () => answersSOA(port));
  checkPinned('podnet', child.pid as number);
  return { name: 'podnet', port, child };
}

/** Every thread of the process may run on the server core only. */
function checkPinned(name: string, pid: number): void {
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
    const cpus = /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1];
    if (cpus !== SERVER_CORE)
      throw new Error(`${name} thread ${task} may run on CPUs ${cpus}, not ${SERVER_CORE} only`);
  }
}

/**
 * Busy and total jiffies of each core (/proc/stat). Per-core counters, not per-process ones: in
 * this VM a process's utime + stime can exceed the wall time of the one core it is pinned to
 * (dnsperf's threads showed 180 %), while a core's busy share stays within 100 %.
 */
function coreTimes(): { busy: number; total: number }[] {
  const out: { busy: number; total: number }[] = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+) (.*)/.exec(line);
    if (!m) continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    const idle = f[3] + f[4]; // idle + iowait
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // without guest time, counted in user
    out[Number(m[1])] = { busy: total - idle, total };
  }
  return out;
}

interface Measurement {
  server: string;
  round: number;
  sent: number;
  completed: number;
  lost: number;
  qps: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
  stddevMs: number;
  rcodes: string;
  /** Busy share of the servers' core and of dnsperf's core during the run. */
  serverCore: number;
  clientCore: number;
}

async function measure(
  server: Server,
  queryFile: string,
  round: number,
  secs = seconds,
  maxQPS?: number,
): Promise<Measurement> {
  const before = coreTimes();
  const args = ['-c', CLIENT_CORE, 'dnsperf', '-s', HOST, '-p', String(server.port), '-d', queryFile];
  args.push('-l', String(secs), '-c', String(values.clients), '-q', String(values.outstanding), '-T', '1');
  if (maxQPS !== undefined) args.push('-Q', String(maxQPS));
  const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  const after = coreTimes();
  const busy = (core: string) => {
    const i = Number(core);
    return (after[i].busy - before[i].busy) / (after[i].total - before[i].total);
  };
  if (code !== 0) throw new Error(`dnsperf against ${server.name} failed (${code}): ${err}${out}`);
  const num = (label: string) => {
    const m = new RegExp(`${label}:\\s+([\\d.]+)`).exec(out);
    if (!m) throw new Error(`no "${label}" in dnsperf output:\n${out}`);
    return Number(m[1]);
  };
  const latency = /Average Latency \(s\):\s+([\d.]+) \(min ([\d.]+), max ([\d.]+)\)/.exec(out);
  return {
    server: server.name,
    round,
    sent: num('Queries sent'),
    completed: num('Queries completed'),
    lost: num('Queries lost'),
    qps: num('Queries per second'),
    avgMs: Number(latency?.[1]) * 1000,
    minMs: Number(latency?.[2]) * 1000,
    maxMs: Number(latency?.[3]) * 1000,
    stddevMs: num('Latency StdDev \\(s\\)') * 1000,
    rcodes: /Response codes:\s+(.*)/.exec(out)?.[1] ?? '',
    serverCore: busy(SERVER_CORE),
    clientCore: busy(CLIENT_CORE),
  };
}

function compareSample(podnet: Server, knot: Server, sample: readonly Query[]): number {
  const a = digAll(podnet.port, sample);
  const b = digAll(knot.port, sample);
  let differ = 0;
  for (let i = 0; i < sample.length; i++) {
    const same = a[i].rcode === b[i].rcode && a[i].answers.join('\n') === b[i].answers.join('\n');
    if (same) continue;
    if (++differ <= 5) {
      console.log(`  differ: ${sample[i].name} ${sample[i].type}`);
      console.log(`    podnet ${a[i].rcode}: ${a[i].answers.join(' | ')}`);
      console.log(`    knot   ${b[i].rcode}: ${b[i].answers.join(' | ')}`);
    }
  }
  const rcodes = new Map<string, number>();
  for (const r of a) rcodes.set(r.rcode, (rcodes.get(r.rcode) ?? 0) + 1);
  console.log(
    `dig sample: ${sample.length} queries, ${differ} with different rcode or answers; podnet rcodes ${[...rcodes].map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );
  return differ;
}

const fmt = (n: number, d = 0) => n.toFixed(d);

async function main(): Promise<void> {
  const tv = (cmd: string, args: string[]) =>
    spawnSync(cmd, args, { encoding: 'utf8' })
      .stdout.split('\n')
      .find((l) => /\d/.test(l)) ?? '?';
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?';
  console.log(`machine: ${run('nproc', []).trim()} cores, ${cpu}`);
  console.log(
    `node ${process.version}; ${tv('knotd', ['--version'])}; ${tv('dnsperf', ['-h']).trim() || '?'}`,
  );

  const manifests = join(work, 'manifests');
  mkdirSync(manifests);
  const { objects, counts } = generateEnvelope(scale, seed);
  writeFileSync(
    join(manifests, 'cluster.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects.map((o) => o.object) }),
  );
  // The generator's pod CIDR (the default /16 holds only 256 node /24s), as a config file.
  const config = join(work, 'cluster.yaml');
  writeFileSync(
    config,
    'apiVersion: podnet.dev/v1alpha1\nkind: Cluster\nname: scale\nnetworking:\n  podSubnet: 10.128.0.0/11\n',
  );
  const zoneText = run(process.execPath, [CLI, 'dns', 'zone', '-f', manifests, '--config', config]);
  const zoneFile = join(work, 'cluster.local.zone');
  writeFileSync(zoneFile, zoneText);
  const names = zoneNames(zoneText, DOMAIN);
  const types = new Map<string, number>();
  for (const line of zoneText.split('\n')) {
    const t = line.split('\t')[3];
    if (t) types.set(t, (types.get(t) ?? 0) + 1);
  }
  console.log(
    `zone: ${counts.services} Services, ${counts.pods} pods; ${[...types.values()].reduce((a, b) => a + b, 0)} records (${[...types].map(([k, v]) => `${k} ${v}`).join(', ')}); ${names.serviceA.length} Service A names, ${names.srv.length} SRV names`,
  );
  const queries = queryMix(names, DOMAIN, nQueries, seed);
  const queryFile = join(work, 'queries.txt');
  writeFileSync(queryFile, dnsperfFile(queries));
  const share = (k: string) => queries.filter((q) => q.kind === k).length;
  console.log(
    `queries: ${queries.length} (Service A ${share('serviceA')}, SRV ${share('srv')}, NXDOMAIN ${share('nxdomain')})`,
  );

  const knot = await startKnot(zoneFile);
  const podnet = await startPodnet(manifests, config);
  compareSample(podnet, knot, queries.slice(0, sampleSize));

  // A short warm-up for each (V8 compiles the hot paths), then alternating rounds.
  await measure(podnet, queryFile, 0, 3);
  await measure(knot, queryFile, 0, 3);
  const results: Measurement[] = [];
  for (let r = 1; r <= rounds; r++) {
    for (const s of [knot, podnet]) {
      const m = await measure(s, queryFile, r);
      results.push(m);
      console.error(`round ${r} ${s.name}: ${fmt(m.qps)} qps`);
    }
  }
  // Latency without queueing: both at the same rate, well under either one's maximum.
  const paced: Measurement[] = [];
  for (const s of [knot, podnet]) paced.push(await measure(s, queryFile, 0, seconds, latencyQPS));

  console.log(
    `\ndnsperf -l ${seconds} -c ${values.clients} -q ${values.outstanding} -T 1, UDP, servers on core ${SERVER_CORE}, dnsperf on core ${CLIENT_CORE}\n`,
  );
  const header =
    '| server | rate | qps | avg latency ms | min ms | max ms | stddev ms | lost | server core busy | dnsperf core busy |';
  console.log(header);
  console.log(header.replace(/[^|]+/g, '---'));
  for (const m of [...results, ...paced]) {
    const rate = m.round === 0 ? `-Q ${latencyQPS}` : `max, round ${m.round}`;
    console.log(
      `| ${m.server} | ${rate} | ${fmt(m.qps)} | ${fmt(m.avgMs, 3)} | ${fmt(m.minMs, 3)} | ${fmt(m.maxMs, 3)} | ${fmt(m.stddevMs, 3)} | ${m.lost} of ${m.sent} | ${fmt(m.serverCore * 100)} % | ${fmt(m.clientCore * 100)} % |`,
    );
  }
  for (const m of results) console.log(`rcodes ${m.server} round ${m.round}: ${m.rcodes}`);
  const mean = (name: string, f: (m: Measurement) => number) => {
    const xs = results.filter((m) => m.server === name).map(f);
    return xs.reduce((x, y) => x + y, 0) / xs.length;
  };
  const ratio = mean(podnet.name, (m) => m.qps) / mean(knot.name, (m) => m.qps);
  console.log(`\npodnet/knot qps ratio: ${ratio.toFixed(3)} (target >= 0.5)`);
  console.log(JSON.stringify({ scale, seed, seconds, ratio, results, paced }));
}

let failed = false;
process.once('SIGINT', () => {
  failed = true;
  void stopAll().finally(() => {
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
});
try {
  await main();
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? error.message : error);
} finally {
  await stopAll();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
