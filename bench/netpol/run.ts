// Times NetworkPolicy analysis on the scale envelope: build the cluster (bench/netpol/generate.ts:
// the envelope plus 1,000 NetworkPolicies), compile the policy model, compute the reachability
// matrix of every pod to every pod over equivalence classes and its summary, then the latency of
// single explained verdicts (what `podnet trace` asks) for random pairs. Every sampled pair is
// also checked against the matrix. Prints markdown tables and one JSON line.
//
//   npm run bench:netpol                      the full envelope
//   npm run bench:netpol -- --scale 0.1       a tenth of it, for a quick check
//   node --cpu-prof dist/bench/netpol/run.js  the same, with a V8 CPU profile

import { parseArgs } from 'node:util';
import { buildCluster } from '../../src/cluster/build.js';
import { diffReachability } from '../../src/netpol/diff.js';
import { evaluate } from '../../src/netpol/evaluate.js';
import { compilePolicyModel } from '../../src/netpol/model.js';
import { ClassReachability, computeReachability } from '../../src/netpol/reach.js';
import type { Endpoint, PortProtocol } from '../../src/netpol/types.js';
import { mulberry32 } from '../scale/generate.js';
import { generateNetpolEnvelope } from './generate.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    queries: { type: 'string', default: '1000' },
  },
});
const scale = Number(values.scale);
const seed = Number(values.seed);
const queries = Number(values.queries);
if (!(scale > 0) || !Number.isInteger(seed) || !(queries > 0)) {
  console.error('usage: run.js [--scale FRACTION] [--seed INTEGER] [--queries N]');
  process.exit(2);
}

/** The generated workloads' ports, as the pods see them after Service DNAT (80 -> 8080). */
const PORTS: PortProtocol[] = [
  { port: 8080, protocol: 'TCP' },
  { port: 9090, protocol: 'TCP' },
];

let peakHeap = 0;
const sampleHeap = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
const time = <T>(f: () => T): [T, number] => {
  const start = performance.now();
  const out = f();
  const ms = performance.now() - start;
  sampleHeap();
  return [out, ms];
};
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const [env, generateMs] = time(() => generateNetpolEnvelope(scale, seed));
const [snapshot, buildMs] = time(() => buildCluster(env.objects, { config: env.config }));
if (!snapshot.ok) {
  for (const d of snapshot.diagnostics.slice(0, 10))
    console.error(`${d.severity}: ${d.object ?? ''} ${d.message}`);
  process.exit(1);
}
const { store } = snapshot;
const [model, compileMs] = time(() => {
  const m = compilePolicyModel(store);
  m.predicates();
  return m;
});
const predicates = model.predicates();
const pods = store.list('Pod');
const [reach, matrixMs] = time(() => computeReachability(model, { from: pods, to: pods, ports: PORTS }));
const [summary, summaryMs] = time(() => reach.summary());
if (!(reach instanceof ClassReachability)) throw new TypeError('computeReachability returned another matrix');
/** Destination classes per port, and the evaluations the matrix took (one per class pair and port). */
const destinationClasses = reach.toClasses;
const evaluations = destinationClasses.reduce((n, c) => n + reach.fromClasses * c, 0);

// Single queries: a random pair and port, resolved to endpoints and evaluated with reasons, as
// `podnet trace` does; each checked against the matrix.
const rand = mulberry32(seed);
const latencies: number[] = [];
let mismatches = 0;
for (let q = 0; q < queries; q++) {
  const from = reach.from[Math.floor(rand() * reach.from.length)];
  const to = reach.to[Math.floor(rand() * reach.to.length)];
  const p = Math.floor(rand() * PORTS.length);
  const start = performance.now();
  const conn = {
    from: model.podEndpoint(from) as Endpoint,
    to: model.podEndpoint(to) as Endpoint,
    ...PORTS[p],
  };
  const verdict = evaluate(model, conn);
  latencies.push(performance.now() - start);
  if (verdict.allowed !== reach.allowed(reach.from.indexOf(from), reach.to.indexOf(to), p)) mismatches++;
}
latencies.sort((a, b) => a - b);

// A change and its diff, as `podnet diff` computes it: a default-deny ingress policy (no rules:
// its pods then admit nothing but themselves and their nodes) in the largest workload namespace
// without a policy yet, added to the same store and compiled into a second model.
const networkPolicies = store.count('NetworkPolicy');
const policied = new Set(store.list('NetworkPolicy').map((np) => np.metadata.namespace));
const target = store
  .namespacesOf('Pod')
  .filter((ns) => ns.startsWith('ns-') && !policied.has(ns))
  .sort((x, y) => store.list('Pod', y).length - store.list('Pod', x).length)[0];
const [changed, changeMs] = time(() => {
  store.put({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'bench-deny', namespace: target },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  const after = compilePolicyModel(store);
  return computeReachability(after, { from: pods, to: pods, ports: PORTS });
});
const [diff, diffMs] = time(() => diffReachability(reach, store, changed, store));
const changedPairs = diff.changes.reduce((n, c) => n + c.pairs, 0);

// Matrix lookups: the O(1) path every printer and `podnet test` takes.
const lookups = 1_000_000;
const [allowedCount, lookupMs] = time(() => {
  let n = 0;
  for (let k = 0; k < lookups; k++) {
    if (reach.allowed((k * 7919) % reach.from.length, (k * 104729) % reach.to.length, k % PORTS.length)) n++;
  }
  return n;
});

const result = {
  scale,
  seed,
  nodes: store.count('Node'),
  namespaces: store.count('Namespace'),
  pods: pods.length,
  matrixPods: reach.from.length,
  networkPolicies,
  policiedNamespaces: env.policiedNamespaces,
  predicates: {
    pods: predicates.pods.length,
    cidrs: predicates.cidrs.length,
    portNames: predicates.portNames.length,
  },
  classes: { ...summary.classes, toPerPort: destinationClasses },
  evaluations,
  ports: PORTS.map((p) => `${p.port}/${p.protocol}`),
  pairs: summary.pairs,
  allowedPerPort: summary.allowedPerPort,
  generateMs: Math.round(generateMs),
  buildMs: Math.round(buildMs),
  compileMs: Math.round(compileMs),
  matrixMs: Math.round(matrixMs),
  summaryMs: Math.round(summaryMs),
  diff: {
    namespace: target,
    targetPods: store.list('Pod', target).length,
    changes: diff.changes.length,
    changedPairs,
    matrixMs: Math.round(changeMs),
    diffMs: Math.round(diffMs),
  },
  queryMs: {
    median: Number(quantile(latencies, 0.5).toFixed(3)),
    p99: Number(quantile(latencies, 0.99).toFixed(3)),
    max: Number(latencies[latencies.length - 1].toFixed(3)),
  },
  lookupNs: Number(((lookupMs * 1e6) / lookups).toFixed(1)),
  sampledAllowed: allowedCount,
  mismatches,
  peakRSSMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  peakHeapMiB: Math.round(peakHeap / 2 ** 20),
  node: process.version,
};

const s = (ms: number) => (ms / 1000).toFixed(2);
const pct = (n: number) => `${((100 * n) / summary.pairs).toFixed(2)} %`;
console.log(
  '| pods | policies | classes (from / to) | pairs | build s | compile s | matrix s | summary s | query median ms | query p99 ms | lookup ns | peak RSS MiB |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
console.log(
  `| ${result.matrixPods} | ${result.networkPolicies} | ${summary.classes.from} / ${summary.classes.to} | ${summary.pairs.toExponential(3)} | ${s(buildMs)} | ${s(compileMs)} | ${s(matrixMs)} | ${s(summaryMs)} | ${result.queryMs.median} | ${result.queryMs.p99} | ${result.lookupNs} | ${result.peakRSSMiB} |`,
);
console.log(
  `\nclasses: ${summary.classes.from} sources; destinations ${destinationClasses.join(' / ')} per port, ${summary.classes.to} on all ports; ${evaluations} evaluations`,
);
console.log(
  `\ndiff: default deny in ${target} (${result.diff.targetPods} pods): ${diff.changes.length} changes (workload pairs x port), ${changedPairs} pod pairs; second matrix ${s(changeMs)} s, diff ${s(diffMs)} s`,
);
console.log(
  `\nallowed pairs: ${PORTS.map((p, i) => `${p.port}/${p.protocol} ${pct(summary.allowedPerPort[i])}`).join(', ')}`,
);
console.log(`\n${JSON.stringify(result)}`);
if (mismatches > 0) {
  console.error(`${mismatches} sampled pairs disagree with the matrix`);
  process.exitCode = 1;
}
