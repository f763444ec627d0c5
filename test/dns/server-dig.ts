// Runs the real `dig` (bind9-dnsutils) against a test server on 127.0.0.1 and parses what it
// prints. Tests skip with a reason when dig is missing, except in CI, where it must be there.

import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why dig tests cannot run here, or false. In CI a missing dig fails the tests instead. */
export function digUnavailable(): string | false {
  if (process.env.CI === 'true') return false;
  const probe = spawnSync('dig', ['-v'], { encoding: 'utf8' });
  return probe.error ? 'dig is not installed (Debian: apt-get install bind9-dnsutils)' : false;
}

export interface DigResult {
  readonly status: string;
  readonly flags: readonly string[];
  readonly answer: readonly string[];
  readonly authority: readonly string[];
  readonly additional: readonly string[];
  readonly question: readonly string[];
  /** The `; EDNS: ...` line of the OPT pseudosection, when the response had one. */
  readonly edns: string | undefined;
  readonly transport: 'UDP' | 'TCP' | undefined;
  readonly raw: string;
}

/**
 * `dig @127.0.0.1 -p PORT ARGS...` with one try and a short timeout (never the network: the
 * server address is fixed). Record lines are returned with whitespace collapsed to one space.
 */
export async function dig(port: number, ...args: string[]): Promise<DigResult> {
  return parse(await digOutput(port, args));
}

/** Many queries in one dig process (`dig -f`): one result per line of `queries`, in order. */
export async function digBatch(port: number, queries: readonly string[][]): Promise<DigResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-dig-'));
  try {
    const file = join(dir, 'queries');
    writeFileSync(file, queries.map((q) => `${q.join(' ')}\n`).join(''));
    const out = await digOutput(port, ['-f', file]);
    return out
      .split(/\n(?=; <<>> DiG )/)
      .filter((block) => block.includes('<<>> DiG'))
      .map(parse);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function digOutput(port: number, args: string[]): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

function parse(stdout: string): DigResult {
  const lines = stdout.split('\n');
  const section = (title: string): string[] => {
    const start = lines.indexOf(`;; ${title} SECTION:`);
    if (start < 0) return [];
    const out: string[] = [];
    for (let i = start + 1; i < lines.length && lines[i] !== ''; i++) out.push(lines[i].replace(/\s+/g, ' '));
    return out;
  };
  return {
    status: /status: (\w+)/.exec(stdout)?.[1] ?? '',
    flags: (/;; flags: ([^;]*);/.exec(stdout)?.[1] ?? '').trim().split(' ').filter(Boolean),
    question: section('QUESTION'),
    answer: section('ANSWER'),
    authority: section('AUTHORITY'),
    additional: section('ADDITIONAL'),
    edns: lines.find((l) => l.startsWith('; EDNS:')),
    transport: /;; SERVER: .*\((UDP|TCP)\)/.exec(stdout)?.[1] as DigResult['transport'],
    raw: stdout,
  };
}
