// The cluster config file: kind's own `kind.x-k8s.io/v1alpha4` Cluster (so a user's kind config
// just works), or podnet's `podnet.dev/v1alpha1` Cluster, which adds the settings kind leaves to
// its components (cluster domain, NodePort range, node network, LoadBalancer pool, per-node pod
// CIDR sizes). The format is documented in docs/cluster-config.md.

import { readFileSync } from 'node:fs';
import { type ClusterConfig, defaultNodes, type NodeConfig } from './cluster-config.js';
import {
  ConfigReader,
  KIND_IGNORED_NETWORKING,
  PODNET_NETWORKING,
  type Problem,
  readNetworking,
} from './cluster-config-network.js';
import { type Diagnostic, FieldPath, PodnetError } from './errors.js';
import { isDNS1123Subdomain, isLabelValue, isQualifiedName } from './validation/names.js';
import { decodeYAML } from './yaml-decode.js';
import { SourceText } from './yaml-positions.js';
import { setOwn } from './yaml-scalars.js';

export const KIND_API_VERSION = 'kind.x-k8s.io/v1alpha4';
export const PODNET_API_VERSION = 'podnet.dev/v1alpha1';

// Fields of kind's format that do not change the network model: accepted and ignored.
const KIND_IGNORED_TOP = [
  'featureGates',
  'runtimeConfig',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902',
  'containerdConfigPatches',
  'containerdConfigPatchesJSON6902',
];
const KIND_IGNORED_NODE = [
  'image',
  'extraMounts',
  'extraPortMappings',
  'gpus',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902',
];
// kind's cluster name rule.
const NAME_RE = /^[a-z0-9.-]+$/;
const ROOT = FieldPath.root();

/** Reads and validates a cluster config file; throws PodnetError('InvalidInput') with located diagnostics. */
export function readClusterConfig(file: string): ClusterConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PodnetError(
      'InvalidInput',
      missing ? `the path "${file}" does not exist` : `cannot read "${file}": ${(e as Error).message}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PodnetError('InvalidInput', `${file}: not a text file (invalid UTF-8)`);
  }
  return parseClusterConfig(text, file);
}

/** Parses and validates a cluster config from text; `file` names it in messages. */
export function parseClusterConfig(raw: string, file: string): ClusterConfig {
  const source = new SourceText(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
  const fail = (diagnostics: Diagnostic[]): never => {
    throw new PodnetError('InvalidInput', `invalid cluster config ${file}`, diagnostics);
  };
  const docs = decodeYAML(source).filter((d) => d.error || (d.value !== null && d.value !== undefined));
  for (const { error } of docs) {
    if (!error) continue;
    const message = `error parsing YAML: ${error.message} (column ${source.columnAt(error.offset)})`;
    fail([{ severity: 'error', file, line: source.lineAt(error.offset), message }]);
  }
  if (docs.length !== 1) {
    const line = docs[1] ? source.lineAt(docs[1].start) : undefined;
    fail([{ severity: 'error', file, line, message: `expected one Cluster document, found ${docs.length}` }]);
  }
  const doc = docs[0];
  const problems: Problem[] = [];
  const config = interpret(doc.value, new ConfigReader(problems));
  if (problems.length > 0) {
    const located = problems.map(
      ({ path, message }): Diagnostic => ({
        severity: 'error',
        file,
        line: source.lineOf(doc.start, doc.end, path.segments()),
        field: path.toString() || undefined,
        message,
      }),
    );
    // In file order, as a reader fixes them.
    fail(located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return config;
}

function interpret(value: unknown, r: ConfigReader): ClusterConfig {
  const isKind = (value as Record<string, unknown> | null)?.apiVersion === KIND_API_VERSION;
  const top =
    r.object(value, ROOT, ['apiVersion', 'kind', 'name', 'networking', 'nodes', ...KIND_IGNORED_TOP]) ?? {};

  const apiVersion = r.string(top, 'apiVersion', ROOT);
  if (apiVersion === undefined) r.required(ROOT.child('apiVersion'));
  else if (apiVersion !== KIND_API_VERSION && apiVersion !== PODNET_API_VERSION) {
    r.notSupported(ROOT.child('apiVersion'), apiVersion, [PODNET_API_VERSION, KIND_API_VERSION]);
  }
  const kind = r.string(top, 'kind', ROOT);
  if (kind === undefined) r.required(ROOT.child('kind'));
  else if (kind !== 'Cluster') r.notSupported(ROOT.child('kind'), kind, ['Cluster']);

  // kind calls an unnamed cluster "kind"; podnet's own default is "podnet".
  const name = r.string(top, 'name', ROOT) ?? (isKind ? 'kind' : 'podnet');
  if (!NAME_RE.test(name)) r.invalid(ROOT.child('name'), name, `must match ${NAME_RE.source}`);

  const nodes = nodeList(r, top, name, isKind);
  if (NAME_RE.test(name)) {
    // Node names carry the cluster name (kind's scheme): each must be a valid Node name.
    const bad = nodes.find((n) => isDNS1123Subdomain(n.name).length > 0);
    if (bad)
      r.invalid(ROOT.child('name'), name, `gives node name ${bad.name}: ${isDNS1123Subdomain(bad.name)[0]}`);
  }
  const netPath = ROOT.child('networking');
  // podnet's own fields are errors in a kind config: kind itself would refuse them.
  const netFields = [
    'ipFamily',
    'podSubnet',
    'serviceSubnet',
    ...KIND_IGNORED_NETWORKING,
    ...(isKind ? [] : PODNET_NETWORKING),
  ];
  const net = r.object(top.networking, netPath, netFields);
  return { name, nodes, ...readNetworking(r, net, netPath, nodes.length) };
}

/** Nodes named as kind names them: <name>-control-plane, <name>-control-plane2, <name>-worker... */
function nodeList(
  r: ConfigReader,
  top: Record<string, unknown>,
  name: string,
  isKind: boolean,
): NodeConfig[] {
  const path = ROOT.child('nodes');
  const list = r.list(top, 'nodes', ROOT);
  // kind defaults to a single control-plane node; podnet to a control plane and two workers.
  if (!list || list.length === 0) {
    return isKind ? [{ name: `${name}-control-plane`, role: 'control-plane' }] : defaultNodes(name);
  }
  const counts = { 'control-plane': 0, worker: 0 };
  const nodes: NodeConfig[] = [];
  list.forEach((entry, i) => {
    const p = path.index(i);
    const obj = r.object(entry, p, ['role', 'labels', ...KIND_IGNORED_NODE]);
    // An empty entry (`- {}` or a bare `-`) is a control-plane node, as kind defaults the role.
    const roleValue = r.string(obj, 'role', p) ?? 'control-plane';
    if (roleValue !== 'control-plane' && roleValue !== 'worker') {
      r.notSupported(p.child('role'), roleValue, ['control-plane', 'worker']);
      return;
    }
    const n = ++counts[roleValue];
    const node: NodeConfig = { name: `${name}-${roleValue}${n > 1 ? n : ''}`, role: roleValue };
    const labels = r.object(obj?.labels, p.child('labels'));
    if (labels) node.labels = nodeLabels(r, labels, p.child('labels'));
    nodes.push(node);
  });
  if (counts['control-plane'] === 0) r.required(path, 'must have at least one control-plane node');
  return nodes;
}

function nodeLabels(
  r: ConfigReader,
  labels: Record<string, unknown>,
  path: FieldPath,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    const p = path.key(k);
    for (const m of isQualifiedName(k)) r.invalid(p, k, m);
    if (typeof v !== 'string') {
      r.invalid(p, v, 'must be a string');
      continue;
    }
    for (const m of isLabelValue(v)) r.invalid(p, v, m);
    setOwn(out, k, v);
  }
  return out;
}
