// `podnet diff A B`: what changes between two sources. Reachability: the pod pairs whose verdict
// differs on some port, grouped by workload and port (src/netpol/diff.ts). Names: the DNS
// records that appear or disappear (a changed record is one of each), compared by name, type and
// data. Routes (Service frontends and their endpoints) come with the services layer.

import type { Command } from 'commander';
import { PodnetError } from '../api/errors.js';
import type { ClusterSnapshot } from '../cluster/build.js';
import { presentData } from '../dns/types.js';
import { computeZone } from '../dns/zone-compute.js';
import { diffReachability } from '../netpol/diff.js';
import { compilePolicyModel } from '../netpol/model.js';
import { computeReachability } from '../netpol/reach.js';
import { type PortProtocol, portProtocolString } from '../netpol/types.js';
import {
  addScopeOptions,
  type CliIO,
  checkOutputFormat,
  EXIT,
  loadCluster,
  type ScopeFlags,
  usageError,
} from './common.js';
import {
  compareRecords,
  type DiffResult,
  type DNSRecordText,
  isEmpty,
  printDiffJSON,
  printDiffText,
} from './printers/reach-diff.js';
import {
  byPort,
  collect,
  declaredPorts,
  describeScope,
  parsePorts,
  podsInScope,
  type Scope,
  scopeOf,
} from './reach.js';

const FORMATS = ['table', 'json'] as const;

/** How output names a source path. */
const shown = (path: string): string => (path === '-' ? 'stdin' : path);

export interface DiffFlags extends ScopeFlags {
  config?: string;
  configB?: string;
  skipInvalid?: boolean;
  port?: string[];
  exitCode?: boolean;
}

/** Both sources, loaded in full before anything is printed; invalid input on either side is reported for both. */
async function loadBoth(
  a: string,
  b: string,
  flags: DiffFlags,
  io: CliIO,
): Promise<[ClusterSnapshot, ClusterSnapshot]> {
  const sides = [
    { label: 'A', path: a, config: flags.config },
    { label: 'B', path: b, config: flags.configB ?? flags.config },
  ];
  const loaded: ClusterSnapshot[] = [];
  const invalid: string[] = [];
  for (const side of sides) {
    try {
      loaded.push(
        await loadCluster({ filename: [side.path], config: side.config, skipInvalid: flags.skipInvalid }, io),
      );
    } catch (e) {
      if (!(e instanceof PodnetError) || e.code !== 'InvalidInput') throw e;
      invalid.push(`${side.label} (${shown(side.path)})`);
    }
  }
  if (invalid.length > 0) {
    throw new PodnetError(
      'InvalidInput',
      `invalid input in ${invalid.join(' and ')}; nothing was compared (--skip-invalid compares the valid objects)`,
    );
  }
  return [loaded[0], loaded[1]];
}

/** Every record of the cluster zone as name, type and data; the SOA serial is pinned so it compares by content. */
function zoneRecords(snapshot: ClusterSnapshot): Map<string, DNSRecordText> {
  const out = new Map<string, DNSRecordText>();
  for (const rr of computeZone(snapshot.store, snapshot.config, { serial: 0 }).records()) {
    const record: DNSRecordText = { name: rr.name, type: rr.data.type, data: presentData(rr.data) };
    out.set(`${record.name} ${record.type} ${record.data}`, record);
  }
  return out;
}

/** Records of `b` missing from `a`, in canonical order. */
function missingFrom(a: Map<string, DNSRecordText>, b: Map<string, DNSRecordText>): DNSRecordText[] {
  return [...b]
    .filter(([key]) => !a.has(key))
    .map(([, r]) => r)
    .sort(compareRecords);
}

function unionPorts(a: readonly PortProtocol[], b: readonly PortProtocol[]): PortProtocol[] {
  const byKey = new Map([...a, ...b].map((p) => [portProtocolString(p), p]));
  return [...byKey.values()].sort(byPort);
}

/** The diff of two loaded sources over the pods in scope on each side. */
export function diffSources(
  a: ClusterSnapshot,
  b: ClusterSnapshot,
  scope: Scope,
  given: readonly PortProtocol[],
  flags: ScopeFlags,
): DiffResult {
  const podsA = podsInScope(a.store, scope);
  const podsB = podsInScope(b.store, scope);
  if (podsA.length === 0 && podsB.length === 0)
    throw usageError(`there are no pods in ${describeScope(scope, flags)} in A or in B`);
  const ports = given.length > 0 ? given : unionPorts(declaredPorts(podsA), declaredPorts(podsB));
  if (ports.length === 0)
    throw usageError(
      'the pods declare no containerPort; give the ports to compare with --port (80, 80/TCP, 53/UDP)',
    );
  const reachA = computeReachability(compilePolicyModel(a.store), { from: podsA, to: podsA, ports });
  const reachB = computeReachability(compilePolicyModel(b.store), { from: podsB, to: podsB, ports });
  const recordsA = zoneRecords(a);
  const recordsB = zoneRecords(b);
  return {
    reachability: diffReachability(reachA, a.store, reachB, b.store),
    dns: { added: missingFrom(recordsA, recordsB), removed: missingFrom(recordsB, recordsA) },
  };
}

/** Runs `diff A B`; returns the exit code. */
export async function runDiff(args: readonly string[], flags: DiffFlags, io: CliIO): Promise<number> {
  const [a, b] = args;
  if (a === '-' && b === '-') throw usageError('only one of A and B can be - (stdin)');
  checkOutputFormat(flags.output, FORMATS);
  const scope = scopeOf(flags);
  const given = parsePorts(flags.port ?? []);
  const [sideA, sideB] = await loadBoth(a, b, flags, io);
  const result = diffSources(sideA, sideB, scope, given, flags);
  io.out(flags.output === 'json' ? printDiffJSON(result) : printDiffText(result, shown(a), shown(b)));
  return flags.exitCode && !isEmpty(result) ? EXIT.failed : EXIT.ok;
}

export function registerDiff(program: Command, io: CliIO): void {
  const cmd = program
    .command('diff')
    .summary('what reachability and names change between two sources')
    .description(
      'Compare two sets of manifests: the connections allowed in one and not the other, grouped by ' +
        'workload and port ("+" newly allowed in B, "-" no longer allowed), the pods present in one ' +
        'only, and the DNS records that appear ("+") or disappear ("-").',
    )
    .argument('<A>', 'manifests before: a file, a directory (read recursively) or - for stdin')
    .argument('<B>', 'manifests after: a file, a directory or -')
    .option('--config <file>', 'cluster config file for A and B (kind or podnet format)')
    .option('--config-b <file>', 'cluster config file for B only (default: --config)')
    .option('--skip-invalid', 'compare the valid objects, reporting the invalid ones, instead of refusing');
  addScopeOptions(cmd, FORMATS);
  cmd
    .option(
      '--port <port[/protocol]>',
      'port to compare (80, 80/TCP, 53/UDP), repeatable; default: every containerPort of the pods on either side',
      collect,
    )
    .option('--exit-code', 'exit 1 when the sources differ, 0 when they are equal (as git diff --exit-code)')
    .addHelpText(
      'after',
      `
Examples:
  podnet diff -A examples/netpol/base examples/netpol/proposed
  podnet diff -A --port 5432 --exit-code examples/netpol/base examples/netpol/proposed
  kubectl get -A -o yaml pods,svc,netpol,ns | podnet diff -A - proposed/`,
    )
    .action(async (a: string, b: string, flags: DiffFlags) => {
      io.setExitCode(await runDiff([a, b], flags, io));
    });
}
