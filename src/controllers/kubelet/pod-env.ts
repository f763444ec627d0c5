// The Service environment variables the kubelet gives every container (Kubernetes docs "Service"
// -> "Environment variables"; kubelet getServiceEnvVarMap and pkg/kubelet/envvars): for each
// visible Service with a cluster IP, `{SVC}_SERVICE_HOST`/`_PORT` and the Docker-link variables.

import { isServiceIPSet } from '../../api/service.js';
import type { EnvVar, Pod, Service } from '../../api/types.js';
import { joinHostPort } from '../../ip/index.js';
import type { Store } from '../../store/store.js';

/** The Services the kubelet always exposes, from namespace `default` (kubelet masterServices). */
const MASTER_SERVICES: ReadonlySet<string> = new Set(['kubernetes']);
const MASTER_NAMESPACE = 'default';

/** makeEnvVariableName: upper case, `-` -> `_` (Service and port names are DNS labels). */
function envName(name: string): string {
  return name.replaceAll('-', '_').toUpperCase();
}

/** The variables of one Service, in the order envvars.FromServices emits them. */
export function serviceVariables(svc: Service): EnvVar[] {
  const ports = svc.spec.ports ?? [];
  const ip = svc.spec.clusterIP;
  // Validation requires ports on every Service that has a cluster IP; a snapshot without them
  // has nothing to advertise (upstream would index ports[0] and fail).
  // Headless and ExternalName Services (no cluster IP) have no variables.
  if (!isServiceIPSet(svc) || ip === undefined || ports.length === 0) return [];
  const prefix = envName(svc.metadata.name);
  const out: EnvVar[] = [
    { name: `${prefix}_SERVICE_HOST`, value: ip },
    { name: `${prefix}_SERVICE_PORT`, value: String(ports[0].port) },
  ];
  // Only the first port may be unnamed (validation), so every other port gets a named variable.
  for (const p of ports) {
    if (p.name) out.push({ name: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
  }
  ports.forEach((p, i) => {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const url = `${proto}://${joinHostPort(ip, p.port)}`;
    // Docker special-cases the first port: `{SVC}_PORT` is its URL.
    if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push(
      { name: portPrefix, value: url },
      { name: `${portPrefix}_PROTO`, value: proto },
      { name: `${portPrefix}_PORT`, value: String(p.port) },
      { name: `${portPrefix}_ADDR`, value: ip },
    );
  });
  return out;
}

const byName = (a: Service, b: Service): number =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;

/**
 * The Services whose variables a pod gets: the master Services of `default` always (even with
 * `enableServiceLinks: false`), and every Service of the pod's own namespace unless service
 * links are disabled. A Service of the pod's namespace replaces a master Service of the same
 * name, as in the kubelet. podnet computes from the whole snapshot, so every Service counts; a
 * real kubelet only sees the Services that existed when the container started.
 */
export function visibleServices(pod: Pod, store: Store): Service[] {
  const ns = pod.metadata.namespace ?? MASTER_NAMESPACE;
  const chosen = new Map<string, Service>();
  for (const name of MASTER_SERVICES) {
    const svc = store.get('Service', MASTER_NAMESPACE, name);
    if (svc && isServiceIPSet(svc)) chosen.set(name, svc);
  }
  if (pod.spec.enableServiceLinks !== false) {
    for (const svc of store.list('Service', ns)) if (isServiceIPSet(svc)) chosen.set(svc.metadata.name, svc);
  }
  return [...chosen.values()].sort(byName);
}

/**
 * The kubelet's Service environment for a pod. The kubelet builds a map (so a name defined twice
 * keeps one value, and the order is unspecified); podnet orders Services by name and keeps each
 * Service's variables in FromServices order, so the output is stable.
 */
export function serviceEnvironment(pod: Pod, store: Store): EnvVar[] {
  const vars = new Map<string, string>();
  for (const svc of visibleServices(pod, store)) {
    for (const v of serviceVariables(svc)) vars.set(v.name, v.value ?? '');
  }
  return [...vars].map(([name, value]) => ({ name, value }));
}
