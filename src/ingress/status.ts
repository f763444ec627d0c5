// The status an ingress controller publishes: ingress-nginx writes its address into
// status.loadBalancer.ingress of every Ingress it serves (kind's manifests publish `localhost`).
// podnet plays that controller for the Ingresses of the served class, so `podnet get ingress`
// shows the ADDRESS a cluster would. A snapshot's own status is kept, as the table keeps it.

import type { Ingress, LoadBalancerIngress } from '../api/types.js';
import { parseIP } from '../ip/index.js';
import type { Store } from '../store/store.js';
import { computeIngressTable } from './table.js';

function statusEntry(address: string): LoadBalancerIngress {
  return parseIP(address) ? { ip: address } : { hostname: address };
}

/** Writes the controller's address on served Ingresses that carry none; returns how many. */
export function publishIngressStatus(store: Store): number {
  const table = computeIngressTable(store);
  const entries = table.addresses.map(statusEntry);
  let written = 0;
  for (const key of table.served) {
    const slash = key.indexOf('/');
    const ingress = store.get('Ingress', key.slice(0, slash), key.slice(slash + 1)) as Ingress | undefined;
    if (!ingress || (ingress.status?.loadBalancer?.ingress?.length ?? 0) > 0) continue;
    store.put({ ...ingress, status: { loadBalancer: { ingress: entries.map((e) => ({ ...e })) } } });
    written++;
  }
  return written;
}
