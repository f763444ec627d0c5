// `podnet get TYPE[/NAME]...`: the computed objects, printed as `kubectl get` prints them.
// Argument forms, defaults, ordering, messages and exit codes follow kubectl (staging
// k8s.io/kubectl/pkg/cmd/get): `TYPE`, `TYPE1,TYPE2`, `TYPE NAME...`, `TYPE/NAME...`, `all`.

import type { Command } from 'commander';
import type { Selector } from '../api/labels.js';
import { KINDS, type Kind, type KubeObject } from '../api/types.js';
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
import { byCodeUnit } from './printers/format.js';
import { printJSONList } from './printers/json.js';
import { groupOf, printNames, qualifiedResource } from './printers/name.js';
import { printTable } from './printers/table.js';
import { printYAML, printYAMLList } from './printers/yaml.js';

const FORMATS = ['wide', 'yaml', 'json', 'name'] as const;

export interface GetFlags extends SourceFlags, ScopeFlags {
  showLabels?: boolean;
  /** False with --no-headers. */
  headers?: boolean;
}

/** Singular and short names of each kind, as the API server's discovery lists them. */
const NAMES: { readonly [K in Kind]: { singular: string; short: readonly string[] } } = {
  Node: { singular: 'node', short: ['no'] },
  Namespace: { singular: 'namespace', short: ['ns'] },
  Pod: { singular: 'pod', short: ['po'] },
  Service: { singular: 'service', short: ['svc'] },
  Endpoints: { singular: 'endpoints', short: ['ep'] },
  Secret: { singular: 'secret', short: [] },
  Deployment: { singular: 'deployment', short: ['deploy'] },
  ReplicaSet: { singular: 'replicaset', short: ['rs'] },
  StatefulSet: { singular: 'statefulset', short: ['sts'] },
  DaemonSet: { singular: 'daemonset', short: ['ds'] },
  EndpointSlice: { singular: 'endpointslice', short: [] },
  Ingress: { singular: 'ingress', short: ['ing'] },
  IngressClass: { singular: 'ingressclass', short: [] },
  NetworkPolicy: { singular: 'networkpolicy', short: ['netpol'] },
  // The network-policy-api CRDs' names.shortNames.
  ClusterNetworkPolicy: { singular: 'clusternetworkpolicy', short: ['cnp'] },
  AdminNetworkPolicy: { singular: 'adminnetworkpolicy', short: ['anp'] },
  BaselineAdminNetworkPolicy: { singular: 'baselineadminnetworkpolicy', short: ['banp'] },
};

/**
 * kubectl's `all` category, in the order discovery lists the resources (core first, then apps).
 * Upstream also lists replicationcontrollers, horizontalpodautoscalers, jobs and cronjobs,
 * which podnet does not model.
 */
const ALL: readonly Kind[] = ['Pod', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'];

/** Every spelling of a resource type: plural, singular, short, each optionally `.group` or `.version.group` qualified. */
const TYPES: ReadonlyMap<string, Kind> = (() => {
  const map = new Map<string, Kind>();
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const group = groupOf(kind);
    const version = KINDS[kind].apiVersion.split('/').pop() as string;
    for (const name of [KINDS[kind].plural, NAMES[kind].singular, ...NAMES[kind].short]) {
      map.set(name, kind);
      if (group) {
        map.set(`${name}.${group}`, kind);
        map.set(`${name}.${version}.${group}`, kind);
      }
    }
  }
  return map;
})();

/** The kinds a type argument names (`all` names several); resource types are case-insensitive. */
export function resolveType(type: string): readonly Kind[] {
  const lower = type.toLowerCase();
  if (lower === 'all') return ALL;
  const kind = TYPES.get(lower);
  if (!kind) throw usageError(`the server doesn't have a resource type ${JSON.stringify(type)}`);
  return [kind];
}

/** One thing to fetch: every object of a kind in scope, or one object by name. */
export interface Target {
  readonly kind: Kind;
  readonly name?: string;
}

export interface Targets {
  readonly targets: readonly Target[];
  /** Exactly one object was asked for by name: `-o yaml` prints it bare, not in a List. */
  readonly single: boolean;
}

/** Parses `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...` as kubectl's resource builder does. */
export function parseTargets(args: readonly string[]): Targets {
  if (args.length === 0) {
    throw usageError(
      `you must specify the type of resource to get; one of: all, ${Object.keys(KINDS)
        .map((k) => KINDS[k as Kind].plural)
        .sort()
        .join(', ')}`,
    );
  }
  if (args[0].includes('/')) {
    const targets = args.map((arg) => {
      const slash = arg.indexOf('/');
      const kinds = slash > 0 ? resolveType(arg.slice(0, slash)) : [];
      const name = arg.slice(slash + 1);
      if (slash <= 0 || kinds.length !== 1 || !name || name.includes('/')) {
        throw usageError(
          `arguments in resource/name form must have a single resource and name; got ${JSON.stringify(arg)}`,
        );
      }
      return { kind: kinds[0], name };
    });
    return { targets, single: targets.length === 1 };
  }
  if (args.slice(1).some((a) => a.includes('/'))) {
    throw usageError(
      "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'podnet get resource/<resource_name>' instead of 'podnet get resource resource/<resource_name>')",
    );
  }
  const kinds: Kind[] = [];
  for (const type of args[0].split(',')) {
    if (type === '') continue;
    for (const kind of resolveType(type)) if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (kinds.length === 0) throw usageError(`no resource type in ${JSON.stringify(args[0])}`);
  const names = args.slice(1);
  if (names.length === 0) return { targets: kinds.map((kind) => ({ kind })), single: false };
  const targets = kinds.flatMap((kind) => names.map((name) => ({ kind, name })));
  return { targets, single: targets.length === 1 };
}

interface Scope {
  namespace: string;
  allNamespaces: boolean;
  selector: Selector | undefined;
}

/** The objects of a kind in scope, ordered as the API server lists them: by namespace, then name. */
function listKind(store: Store, kind: Kind, scope: Scope): KubeObject[] {
  let objects: KubeObject[];
  if (!KINDS[kind].namespaced) {
    objects = scope.selector ? store.select(kind, '', scope.selector) : store.list(kind);
  } else if (!scope.allNamespaces) {
    objects = scope.selector
      ? store.select(kind, scope.namespace, scope.selector)
      : store.list(kind, scope.namespace);
  } else {
    const selector = scope.selector;
    objects = selector
      ? store.namespacesOf(kind).flatMap((ns) => store.select(kind, ns, selector))
      : store.list(kind);
  }
  return objects.sort(
    (a, b) =>
      byCodeUnit(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
      byCodeUnit(a.metadata.name, b.metadata.name),
  );
}

interface Fetched {
  /** Found objects, in target order. */
  objects: KubeObject[];
  /** kubectl's NotFound lines, one per missing named object. */
  missing: string[];
}

function fetch(store: Store, targets: readonly Target[], scope: Scope): Fetched {
  const objects: KubeObject[] = [];
  const missing: string[] = [];
  for (const { kind, name } of targets) {
    if (name === undefined) {
      for (const obj of listKind(store, kind, scope)) objects.push(obj);
      continue;
    }
    const obj = store.get(kind, KINDS[kind].namespaced ? scope.namespace : undefined, name);
    if (obj) objects.push(obj);
    else
      missing.push(
        `Error from server (NotFound): ${qualifiedResource(kind)} ${JSON.stringify(name)} not found`,
      );
  }
  return { objects, missing };
}

/** Tables, one per run of objects of one kind, separated by a blank line, as kubectl prints them. */
function printTables(objects: readonly KubeObject[], flags: GetFlags, io: CliIO): string {
  const kinds = new Set(objects.map((o) => o.kind));
  const ctx = { now: io.now(), wide: flags.output === 'wide' };
  let out = '';
  for (let start = 0; start < objects.length; ) {
    const kind = objects[start].kind as Kind;
    let end = start;
    while (end < objects.length && objects[end].kind === kind) end++;
    if (out) out += '\n';
    out += printTable(kind, objects.slice(start, end), {
      wide: flags.output === 'wide',
      withNamespace: flags.allNamespaces === true && KINDS[kind].namespaced,
      withKind: kinds.size > 1,
      showLabels: flags.showLabels === true,
      noHeaders: flags.headers === false,
      ctx,
    });
    start = end;
  }
  return out;
}

/** Runs `get`; returns the exit code. Usage and input errors are thrown as `PodnetError`. */
export async function runGet(args: readonly string[], flags: GetFlags, io: CliIO): Promise<number> {
  const { targets, single } = parseTargets(args);
  checkOutputFormat(flags.output, FORMATS);
  const named = targets.some((t) => t.name !== undefined);
  if (named && flags.selector !== undefined)
    throw usageError('name cannot be provided when a selector is specified');
  if (named && flags.allNamespaces)
    throw usageError('a resource cannot be retrieved by name across all namespaces');
  const scope: Scope = {
    namespace: flags.namespace || DEFAULT_NAMESPACE,
    allNamespaces: flags.allNamespaces === true,
    selector: flags.selector !== undefined ? parseLabelSelector(flags.selector) : undefined,
  };

  const { store } = await loadCluster(flags, io);
  const { objects, missing } = fetch(store, targets, scope);

  switch (flags.output) {
    case 'json':
    case 'yaml': {
      const write = (text: string) => io.out(text);
      // `-o json` is the machine contract of DESIGN.md: always a v1 List, whatever was asked
      // for. `-o yaml` is for people and does what kubectl does: one object asked for by name
      // prints bare, and a missing one prints nothing but the error.
      if (flags.output === 'json') printJSONList(objects, write);
      else if (single && missing.length === 0) printYAML(objects[0], write);
      else if (!single) printYAMLList(objects, write);
      break;
    }
    case 'name':
      io.out(printNames(objects));
      break;
    default: {
      const text = printTables(objects, flags, io);
      if (text) io.out(text);
      else if (missing.length === 0) {
        // As kubectl: the namespace is named unless -A, even for a cluster-scoped kind (kubectl
        // decides from the objects printed, and there are none).
        io.err(
          scope.allNamespaces
            ? 'No resources found\n'
            : `No resources found in ${scope.namespace} namespace.\n`,
        );
      }
    }
  }
  if (missing.length > 0) {
    io.err(`${missing.join('\n')}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

export function registerGet(program: Command, io: CliIO): void {
  const cmd = program
    .command('get')
    .summary('display computed objects, as kubectl get does')
    .description(
      'Display objects as the cluster would hold them: pods with IPs and nodes, Services with\n' +
        'cluster IPs, node ports and load-balancer addresses, EndpointSlices, workloads.',
    )
    .argument('[TYPE[/NAME]...]', 'resource types (comma-separated) and names, or TYPE/NAME pairs');
  addSourceOptions(cmd);
  addScopeOptions(cmd, FORMATS);
  cmd
    .option('--show-labels', 'add a LABELS column')
    .option('--no-headers', 'omit table headers')
    .addHelpText(
      'after',
      `
Resource types: all, ${(Object.keys(KINDS) as Kind[])
        .map((k) =>
          NAMES[k].short.length > 0 ? `${KINDS[k].plural} (${NAMES[k].short.join(', ')})` : KINDS[k].plural,
        )
        .join(', ')}

Examples:
  podnet get all -A -f examples/shop
  podnet get pods -o wide -f examples/connect-apps
  podnet get svc/my-nginx -o yaml -f examples/connect-apps
  podnet get endpointslices -l kubernetes.io/service-name=my-nginx -f examples/connect-apps`,
    )
    .action(async (args: string[], flags: GetFlags) => {
      io.setExitCode(await runGet(args, flags, io));
    });
}
