// Times `podnet trace` on the scale envelope: bench/netpol's cluster (5,000 nodes, 150,000 pods,
// 10,000 Services, 1,000 NetworkPolicies) plus an IngressClass and 1,000 Ingresses (one host per
// tenth Service), served by the ingress-nginx controller pods of the generated `ingress-nginx`
// namespace (labelled as the project's manifests label them). After the load (build, policy
// model, service table, DNS zone, Ingress table, all built once as the CLI builds them), it times
// single traces of two kinds, each parsed and traced as the CLI does:
//
//   - pod -> Service by DNS name (`NAME.NS:80`: the search-list walk, kube-proxy's choice, both
//     policies, delivery), from a random pod to a random proxied Service;
//   - external -> URL (`http://HOST/`: the Ingress route, the controller's upstream choice, both
//     policies, delivery), for a random Ingress host.
//
//   npm run bench:trace                      the full envelope
//   npm run bench:trace -- --scale 0.1       a tenth of it

import { parseArgs } from 'node:util';
import type { Deployment, Ingress, IngressClass, KubeObject, Service } from '../../src/api/types.js';
import { buildCluster } from '../../src/cluster/build.js';
import { TraceContext } from '../../src/trace/context.js';
import { parseDestination, parseSource } from '../../src/trace/target.js';
import { trace } from '../../src/trace/trace.js';
import type { Trace } from '../../src/trace/types.js';
import { generateNetpolEnvelope } from '../netpol/generate.js';
import { mulberry32 } from '../scale/generate.js';

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

const time = <T>(f: () => T): [T, number] => {
  const start = performance.now();
  const out = f();
  return [out, performance.now() - start];
};
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The envelope, with the ingress controller labelled and one Ingress per tenth Service. */
function envelope() {
  const env = generateNetpolEnvelope(scale, seed);
  const push = (object: KubeObject) => env.objects.push({ object, origin: { file: 'generated' } });
  const services: Service[] = [];
  for (const { object } of env.objects) {
    if (object.kind === 'Service') services.push(object as Service);
    const d = object as Deployment;
    if (d.kind === 'Deployment' && d.metadata.name === 'ingress-nginx-controller') {
      // As ingress-nginx's manifests deploy it: its labels, and nginx listening on 80 and 443.
      const template = d.spec.template;
      template.metadata = {
        labels: {
          ...template.metadata?.labels,
          'app.kubernetes.io/name': 'ingress-nginx',
          'app.kubernetes.io/component': 'controller',
        },
      };
      template.spec.containers[0].ports = [
        { name: 'http', containerPort: 80, protocol: 'TCP' },
        { name: 'https', containerPort: 443, protocol: 'TCP' },
      ];
    }
  }
  const nginx: IngressClass = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'k8s.io/ingress-nginx' },
  };
  push(nginx);
  const hosts: string[] = [];
  services.forEach((svc, i) => {
    if (i % 10 !== 0 || svc.spec.clusterIP === 'None') return;
    const { name, namespace } = svc.metadata;
    const host = `${name}.${namespace}.example.com`;
    hosts.push(host);
    const ing: Ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace },
      spec: {
        rules: [
          {
            host,
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } },
              ],
            },
          },
        ],
      },
    };
    push(ing);
  });
  return { env, hosts, services: services.filter((s) => s.spec.clusterIP !== 'None') };
}

const [{ env, hosts, services }, generateMs] = time(envelope);
const [snapshot, buildMs] = time(() => buildCluster(env.objects, { config: env.config }));
if (!snapshot.ok) {
  for (const d of snapshot.diagnostics.slice(0, 10))
    console.error(`${d.severity}: ${d.object ?? ''} ${d.message}`);
  process.exit(1);
}
const { store } = snapshot;
const ctx = new TraceContext(store, env.config);
const [, modelMs] = time(() => ctx.model.predicates());
const [, servicesMs] = time(() => ctx.services);
const [, zoneMs] = time(() => ctx.zone);
const [, ingressMs] = time(() => ctx.ingress);
const pods = store.list('Pod').filter((p) => !p.spec.hostNetwork && p.metadata.namespace?.startsWith('ns-'));

const rand = mulberry32(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];

interface Kind {
  readonly name: string;
  readonly example: string;
  readonly latencies: number[];
  readonly verdicts: Map<string, number>;
}

function run(name: string, next: () => { from: string; to: string }): Kind {
  const latencies: number[] = [];
  const verdicts = new Map<string, number>();
  let example = '';
  // The first trace of a kind builds what that kind needs once (the ingress controller lookup).
  const first = next();
  trace(ctx, { from: parseSource(first.from), to: parseDestination(first.to) });
  for (let q = 0; q < queries; q++) {
    const { from, to } = next();
    const start = performance.now();
    const t: Trace = trace(ctx, { from: parseSource(from), to: parseDestination(to) });
    latencies.push(performance.now() - start);
    const key = t.http?.status !== undefined ? `${t.verdict} ${t.http.status}` : t.verdict;
    verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
    if (q === 0) example = `podnet trace ${from} ${to}`;
  }
  latencies.sort((a, b) => a - b);
  return { name, example, latencies, verdicts };
}

const kinds = [
  run('pod -> Service by DNS name', () => {
    const p = pick(pods);
    const s = pick(services);
    return {
      from: `${p.metadata.namespace}/${p.metadata.name}`,
      to: `${s.metadata.name}.${s.metadata.namespace}:80`,
    };
  }),
  run('external -> URL via Ingress', () => ({ from: 'external', to: `http://${pick(hosts)}/` })),
];

const ms = (n: number) => n.toFixed(3);
console.log(
  `\n| nodes | pods | services | ingresses | policies | build s | model s | services s | zone s | ingress s |`,
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
console.log(
  `| ${store.count('Node')} | ${store.count('Pod')} | ${store.count('Service')} | ${store.count('Ingress')} | ${store.count('NetworkPolicy')} | ${(buildMs / 1000).toFixed(2)} | ${(modelMs / 1000).toFixed(2)} | ${(servicesMs / 1000).toFixed(2)} | ${(zoneMs / 1000).toFixed(2)} | ${(ingressMs / 1000).toFixed(2)} |`,
);
console.log(`\n| trace | queries | median ms | p99 ms | max ms | verdicts |`);
console.log('|---|---|---|---|---|---|');
for (const k of kinds) {
  const verdicts = [...k.verdicts].map(([v, n]) => `${v}: ${n}`).join(', ');
  console.log(
    `| ${k.name} | ${queries} | ${ms(quantile(k.latencies, 0.5))} | ${ms(quantile(k.latencies, 0.99))} | ${ms(k.latencies[k.latencies.length - 1])} | ${verdicts} |`,
  );
}
for (const k of kinds) console.log(`\nexample (${k.name}): ${k.example}`);
console.log(
  JSON.stringify({
    scale,
    seed,
    queries,
    generateMs: Math.round(generateMs),
    buildMs: Math.round(buildMs),
    modelMs: Math.round(modelMs),
    servicesMs: Math.round(servicesMs),
    zoneMs: Math.round(zoneMs),
    ingressMs: Math.round(ingressMs),
    peakRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    traces: kinds.map((k) => ({
      kind: k.name,
      medianMs: Number(ms(quantile(k.latencies, 0.5))),
      p99Ms: Number(ms(quantile(k.latencies, 0.99))),
      maxMs: Number(ms(k.latencies[k.latencies.length - 1])),
      verdicts: Object.fromEntries(k.verdicts),
    })),
  }),
);
