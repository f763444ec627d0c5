// `podnet reach`: who can reach whom. The pod-to-pod reachability matrix of the selected pods on
// each port, computed over equivalence classes (src/netpol/reach.ts) and printed as the upstream
// e2e suite prints its truth tables, or as json, csv, md, dot or a self-contained html heatmap.
// The scope, port and selection helpers here are shared with `podnet diff`.

import type { Command } from 'commander';
import { matches, type Selector } from '../api/labels.js';
import type { Pod } from '../api/types.js';
import type { IPFamily } from '../ip/index.js';
import { comparePods } from '../netpol/classes.js';
import { compilePolicyModel } from '../netpol/model.js';
import { computeReachability, type Reachability } from '../netpol/reach.js';
import { type PortProtocol, portProtocolString } from '../netpol/types.js';
import type { Store } from '../store/store.js';
import {
  addScopeOptions,
  addSourceOptions,
  type CliIO,
  checkOutputFormat,
  DEFAULT_NAMESPACE,
  EXIT,
  loadCluster,
  parseLabelSelector,
  type ScopeFlags,
  type SourceFlags,
  usageError,
} from './common.js';
import { printHTML } from './printers/reach-html.js';
import { printCSV, printDOT, printJSON } from './printers/reach-stream.js';
import { podName, printMarkdown, printSummary, printTruthTables } from './printers/reach-text.js';

const FORMATS = ['table', 'wide', 'json', 'csv', 'md', 'dot', 'html'] as const;

/**
 * The most cells (pod pairs x ports) the cell-by-cell formats print; json and csv stream and
 * have no limit. A truth table is unreadable long before this; the html page explains every cell
 * (one evaluation each, kept in the file), so it stops sooner: 200 pods on 6 ports fit.
 */
const MAX_TABLE_CELLS = 1_000_000;
const MAX_HTML_CELLS = 250_000;

export interface ReachFlags extends SourceFlags, ScopeFlags {
  from?: string;
  to?: string;
  port?: string[];
  family?: string;
  summary?: boolean;
}

/** The pods a command considers: -n (default "default") or -A, narrowed by -l. */
export interface Scope {
  readonly namespace: string;
  readonly allNamespaces: boolean;
  readonly selector?: Selector;
}

export function scopeOf(flags: ScopeFlags): Scope {
  return {
    namespace: flags.namespace || DEFAULT_NAMESPACE,
    allNamespaces: flags.allNamespaces === true,
    selector: flags.selector !== undefined ? parseLabelSelector(flags.selector) : undefined,
  };
}

/** How messages name a scope: `namespace "default"`, `every namespace`, plus the -l selector. */
export function describeScope(scope: Scope, flags: ScopeFlags): string {
  const where = scope.allNamespaces ? 'any namespace' : `namespace ${JSON.stringify(scope.namespace)}`;
  return flags.selector !== undefined ? `${where}, -l ${JSON.stringify(flags.selector)}` : where;
}

/** The pods in scope, sorted by namespace/name; `extra` narrows them further (label index). */
export function podsInScope(store: Store, scope: Scope, extra?: Selector): Pod[] {
  const namespaces = scope.allNamespaces ? store.namespacesOf('Pod') : [scope.namespace];
  const first = extra ?? scope.selector;
  const second = extra ? scope.selector : undefined;
  const out: Pod[] = [];
  for (const ns of namespaces) {
    for (const pod of first ? store.select('Pod', ns, first) : store.list('Pod', ns))
      if (!second || matches(second, pod.metadata.labels)) out.push(pod);
  }
  return out.sort(comparePods);
}

/** `PORT` or `PORT/PROTOCOL` (protocol in any case, default TCP), as `--port` takes it. */
export function parsePort(text: string): PortProtocol {
  const m = /^(\d+)(?:\/([A-Za-z]+))?$/.exec(text);
  if (!m) {
    throw usageError(
      `invalid --port ${JSON.stringify(text)}: give a port number and optionally a protocol: 80, 80/TCP, 53/UDP, 5000/SCTP`,
    );
  }
  const port = Number(m[1]);
  if (port < 1 || port > 65535)
    throw usageError(`invalid --port ${JSON.stringify(text)}: the port must be between 1 and 65535`);
  const protocol = (m[2] ?? 'TCP').toUpperCase();
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    throw usageError(
      `invalid --port ${JSON.stringify(text)}: Unsupported value: ${JSON.stringify(m[2])}: supported values: "SCTP", "TCP", "UDP"`,
    );
  }
  return { port, protocol };
}

/** The --port values, each once, in the order given. */
export function parsePorts(texts: readonly string[]): PortProtocol[] {
  const seen = new Set<string>();
  const out: PortProtocol[] = [];
  for (const t of texts) {
    const p = parsePort(t);
    if (seen.has(portProtocolString(p))) continue;
    seen.add(portProtocolString(p));
    out.push(p);
  }
  return out;
}

/** By number, then protocol. */
export function byPort(a: PortProtocol, b: PortProtocol): number {
  return a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0);
}

/** Every containerPort/protocol the pods declare, each once, by number then protocol. */
export function declaredPorts(pods: readonly Pod[]): PortProtocol[] {
  const found = new Map<string, PortProtocol>();
  for (const pod of pods) {
    for (const c of pod.spec.containers) {
      for (const p of c.ports ?? []) {
        const pp: PortProtocol = { port: p.containerPort, protocol: p.protocol ?? 'TCP' };
        found.set(portProtocolString(pp), pp);
      }
    }
  }
  return [...found.values()].sort(byPort);
}

/** `--family`: one address family of a dual-stack cluster (default: each pod's primary). */
export function parseFamily(text: string | undefined, families: readonly IPFamily[]): IPFamily | undefined {
  if (text === undefined) return undefined;
  const family = ({ ipv4: 'IPv4', ipv6: 'IPv6' } as const)[text.toLowerCase()];
  if (!family) throw usageError(`invalid --family ${JSON.stringify(text)}: give IPv4 or IPv6`);
  if (!families.includes(family)) {
    throw usageError(
      `--family ${family}: the cluster has no ${family} addresses (its families: ${families.join(', ')}; set ipFamilies in the cluster config)`,
    );
  }
  return family;
}

const DNS_LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
/** `NS/POD` or `NS/*`: a namespace (a DNS label) and a pod name (a DNS subdomain) or `*`. */
const POD_REF = new RegExp(`^(${DNS_LABEL})/(\\*|${DNS_LABEL}(?:\\.${DNS_LABEL})*)$`);

/**
 * One side of the matrix. `NS/POD` and `NS/*` name pods directly (the namespace is explicit, so
 * -n, -A and -l do not apply); anything else is a label selector over the pods in scope.
 */
export function selectSide(
  flag: '--from' | '--to',
  text: string | undefined,
  store: Store,
  scope: Scope,
  flags: ScopeFlags,
): Pod[] {
  const given = `${flag} ${JSON.stringify(text)}`;
  const ref = text === undefined ? null : POD_REF.exec(text);
  let pods: Pod[];
  if (ref) {
    const [, ns, name] = ref;
    if (!store.has('Namespace', undefined, ns))
      throw usageError(`${given}: namespace ${JSON.stringify(ns)} not found`);
    if (name === '*') pods = store.list('Pod', ns).sort(comparePods);
    else {
      const pod = store.get('Pod', ns, name);
      if (!pod)
        throw usageError(
          `${given}: pod ${JSON.stringify(name)} not found in namespace ${JSON.stringify(ns)}`,
        );
      pods = [pod];
    }
  } else {
    pods = podsInScope(store, scope, text === undefined ? undefined : parseLabelSelector(text));
  }
  if (pods.length === 0) {
    const what = text === undefined ? 'there are no pods' : `${given} selects no pod`;
    const where = ref ? `namespace ${JSON.stringify(ref[1])}` : describeScope(scope, flags);
    const hint = ref || scope.allNamespaces ? '' : ' (-n NS for another namespace, -A for every one)';
    throw usageError(`${what} in ${where}${hint}`);
  }
  return pods;
}

/** `a/x, b/y and 3 more`: a few names, for messages. */
function someNames(pods: readonly Pod[]): string {
  const shown = pods.slice(0, 5).map(podName).join(', ');
  return pods.length > 5 ? `${shown} and ${pods.length - 5} more` : shown;
}

/**
 * A warning for the selected pods the matrix leaves out (no address of the family: not started
 * yet, unschedulable, or done), each named once whichever sides selected it.
 */
export function leftOutWarning(
  reach: Reachability,
  from: readonly Pod[],
  to: readonly Pod[],
  family: string,
): string | undefined {
  const kept = new Set([...reach.from, ...reach.to]);
  const left = [...new Set([...from, ...to])].filter((p) => !kept.has(p)).sort(comparePods);
  if (left.length === 0) return undefined;
  const n = left.length === 1 ? '1 pod has' : `${left.length} pods have`;
  const take = left.length === 1 ? 'takes' : 'take';
  return `${n} no ${family} address and ${take} part in no connection: ${someNames(left)}`;
}

/** Runs `reach`; returns the exit code. Usage and input errors are thrown as `PodnetError`. */
export async function runReach(flags: ReachFlags, io: CliIO): Promise<number> {
  checkOutputFormat(flags.output, FORMATS);
  const output = flags.output ?? 'table';
  if (flags.summary && output !== 'table' && output !== 'wide')
    throw usageError(`--summary prints counts as text; it does not combine with -o ${output}`);
  const scope = scopeOf(flags);
  const given = parsePorts(flags.port ?? []);

  const { store, config } = await loadCluster(flags, io);
  const family = parseFamily(flags.family, config.ipFamilies);
  const from = selectSide('--from', flags.from, store, scope, flags);
  const to = selectSide('--to', flags.to, store, scope, flags);
  const ports = given.length > 0 ? given : declaredPorts(to);
  if (ports.length === 0) {
    throw usageError(
      'the --to pods declare no containerPort; give the ports to check with --port (80, 80/TCP, 53/UDP)',
    );
  }

  const reach = computeReachability(compilePolicyModel(store), { from, to, ports, family });
  const familyName = family ?? config.ipFamilies[0];
  const warning = leftOutWarning(reach, from, to, familyName);
  if (warning) io.err(`warning: ${warning}\n`);
  if (reach.from.length === 0 || reach.to.length === 0) {
    const side = reach.from.length === 0 ? '--from' : '--to';
    throw usageError(
      `none of the ${side} pods has an ${familyName} address: there is no connection to check`,
    );
  }

  if (flags.summary) {
    io.out(printSummary(reach));
    return EXIT.ok;
  }
  checkSize(reach, output);
  const write = (text: string) => io.out(text);
  switch (output) {
    case 'json':
      printJSON(reach, write);
      break;
    case 'csv':
      printCSV(reach, write);
      break;
    case 'dot':
      printDOT(reach, write);
      break;
    case 'md':
      printMarkdown(reach, write);
      break;
    case 'html':
      printHTML(reach, write);
      break;
    default:
      printTruthTables(reach, output === 'wide', write);
  }
  return EXIT.ok;
}

/** Refuses a cell-by-cell format the matrix is too large for, naming the ways out. */
function checkSize(reach: Reachability, output: string): void {
  if (output === 'json' || output === 'csv') return;
  const cells = reach.from.length * reach.to.length * reach.ports.length;
  const limit = output === 'html' ? MAX_HTML_CELLS : MAX_TABLE_CELLS;
  if (cells <= limit) return;
  throw usageError(
    `${reach.from.length} x ${reach.to.length} pods on ${reach.ports.length} port(s) make ${cells} cells, too many for -o ${output} (at most ${limit}); ` +
      'narrow the pods with --from, --to, -n or -l, print counts with --summary, or stream every pair with -o json or -o csv',
  );
}

/** A repeatable option's values, in the order given. */
export const collect = (v: string, previous: string[] = []): string[] => [...previous, v];

export function registerReach(program: Command, io: CliIO): void {
  const cmd = program
    .command('reach')
    .summary('pod-to-pod reachability per port: who can reach whom under the NetworkPolicies')
    .description(
      'The reachability matrix: for every ordered pair of selected pods (self included) and every ' +
        'port, whether a connection is allowed (egress at the source and ingress at the destination). ' +
        'Computed over classes of pods that every policy treats alike, so it scales to large clusters. ' +
        'The default table is the truth table the upstream e2e suite prints: "." allowed, "X" denied.',
    );
  addSourceOptions(cmd);
  addScopeOptions(cmd, FORMATS);
  cmd
    .option('--from <selector>', 'source pods: NS/POD, NS/*, or a label selector over the pods in scope')
    .option('--to <selector>', 'destination pods: NS/POD, NS/*, or a label selector over the pods in scope')
    .option(
      '--port <port[/protocol]>',
      'port to check (80, 80/TCP, 53/UDP, 5000/SCTP), repeatable; default: every containerPort of the --to pods',
      collect,
    )
    .option('--family <family>', 'address family of a dual-stack cluster: IPv4 or IPv6 (default: primary)')
    .option('--summary', 'print only the counts per port (computed per class, at any scale)')
    .addHelpText(
      'after',
      `
Examples:
  podnet reach -A -f examples/netpol/base
  podnet reach -n backend --from 'frontend/*' --port 8080 -f examples/netpol/base
  podnet reach -A --from app=web --to app=db -o wide -f examples/netpol/base
  podnet reach -A -o html -f examples/netpol/base > reach.html`,
    )
    .action(async (flags: ReachFlags) => {
      io.setExitCode(await runReach(flags, io));
    });
}
