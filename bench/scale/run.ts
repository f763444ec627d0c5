// Times the scale envelope end to end: generate the manifests, then buildCluster (admission, the
// store, the controllers to a fixed point), with the time of every controller measured on its
// own. Prints a markdown table row per phase and one JSON line for tracking.
//
//   npm run bench:scale                      the full envelope
//   npm run bench:scale -- --scale 0.1       a tenth of it, for a quick check
//   node --cpu-prof dist/bench/scale/run.js  the same, with a V8 CPU profile for hot spots

import { parseArgs } from 'node:util';
import { buildCluster } from '../../src/cluster/build.js';
import { CONTROLLERS } from '../../src/controllers/index.js';
import { generateEnvelope } from './generate.js';

interface ControllerTiming {
  ms: number;
  calls: number;
}

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});
const scale = Number(values.scale);
const seed = Number(values.seed);
if (!(scale > 0) || !Number.isInteger(seed)) {
  console.error('usage: run.js [--scale FRACTION] [--seed INTEGER]');
  process.exit(2);
}

// Peak heap, sampled after generation and after every controller call (V8 keeps no high-water mark).
let peakHeap = 0;
const sampleHeap = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};

// Each controller's reconcile is wrapped with a timer: converge runs them in order until a pass
// writes nothing, so their sum is the converge time and the largest is the one to look at.
const timings = new Map<string, ControllerTiming>();
/** Converge time by pass: the first does the work, the last must find nothing to write. */
const passMs: number[] = [];
for (const c of CONTROLLERS) {
  const reconcile = c.reconcile.bind(c);
  const t: ControllerTiming = { ms: 0, calls: 0 };
  timings.set(c.name, t);
  c.reconcile = (ctx) => {
    const start = performance.now();
    reconcile(ctx);
    const ms = performance.now() - start;
    t.ms += ms;
    passMs[t.calls] = (passMs[t.calls] ?? 0) + ms;
    t.calls++;
    sampleHeap();
  };
}

const t0 = performance.now();
const { objects, config, counts } = generateEnvelope(scale, seed);
const t1 = performance.now();
sampleHeap();
const snapshot = buildCluster(objects, { config });
const t2 = performance.now();
sampleHeap();

const { store } = snapshot;
const pods = store.list('Pod');
const services = store.list('Service');
const result = {
  scale,
  seed,
  input: counts,
  nodes: store.count('Node'),
  namespaces: store.count('Namespace'),
  pods: pods.length,
  workloadPods: pods.filter((p) => p.metadata.namespace?.startsWith('ns-')).length,
  podsWithIP: pods.filter((p) => p.status?.podIP).length,
  podsScheduled: pods.filter((p) => p.spec.nodeName).length,
  services: services.length,
  servicesWithClusterIP: services.filter((s) => s.spec.clusterIP && s.spec.clusterIP !== 'None').length,
  endpointSlices: store.count('EndpointSlice'),
  endpoints: store.count('Endpoints'),
  errors: snapshot.diagnostics.filter((d) => d.severity === 'error').length,
  warnings: snapshot.diagnostics.filter((d) => d.severity === 'warning').length,
  ok: snapshot.ok,
  generateMs: Math.round(t1 - t0),
  buildMs: Math.round(t2 - t1),
  convergeMs: Math.round([...timings.values()].reduce((a, t) => a + t.ms, 0)),
  passes: passMs.length,
  passMs: passMs.map(Math.round),
  controllersMs: Object.fromEntries([...timings].map(([name, t]) => [name, Math.round(t.ms)])),
  peakRSSMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  peakHeapMiB: Math.round(peakHeap / 2 ** 20),
  node: process.version,
};

const s = (ms: number) => (ms / 1000).toFixed(2);
console.log(
  '| scale | nodes | pods | with IP | services | with clusterIP | EndpointSlices | Endpoints | generate s | build s | converge s | passes | peak RSS MiB | peak heap MiB |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
console.log(
  `| ${scale} | ${result.nodes} | ${result.pods} | ${result.podsWithIP} | ${result.services} | ${result.servicesWithClusterIP} | ${result.endpointSlices} | ${result.endpoints} | ${s(result.generateMs)} | ${s(result.buildMs)} | ${s(result.convergeMs)} | ${result.passes} | ${result.peakRSSMiB} | ${result.peakHeapMiB} |`,
);
console.log('\n| controller | s | calls |\n|---|---|---|');
for (const [name, t] of timings) console.log(`| ${name} | ${s(t.ms)} | ${t.calls} |`);
for (const d of snapshot.diagnostics.slice(0, 10)) {
  console.error(`${d.severity}: ${d.object ?? ''} ${d.field ?? ''} ${d.message}`);
}
console.log(`\n${JSON.stringify(result)}`);
if (!snapshot.ok || result.workloadPods !== counts.pods) process.exitCode = 1;
