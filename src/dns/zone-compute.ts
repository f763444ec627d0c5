// The cluster zone computed from a snapshot of objects: what CoreDNS's kubernetes plugin serves
// with the Corefile kubeadm (and so kind) deploys —
//
//   kubernetes cluster.local in-addr.arpa ip6.arpa {
//      pods insecure
//      fallthrough in-addr.arpa ip6.arpa
//      ttl 30
//   }
//
// Pure: the same objects give the same zone, record for record.

import { type ClusterConfig, wellKnownServiceIP } from '../api/cluster-config.js';
import { PodnetError } from '../api/errors.js';
import { type EndpointSlice, objectKey, type Service } from '../api/types.js';
import { formatIP, parseIP } from '../ip/index.js';
import type { Store } from '../store/store.js';
import { normalizeName } from './names.js';
import { PodAddresses } from './records-pods.js';
import {
  addServiceRecords,
  clusterIPsOf,
  LABEL_SERVICE_NAME,
  type RecordContext,
  serviceName,
} from './records-services.js';
import type { RData, ResourceRecord } from './types.js';
import type { ClusterZone } from './zone.js';
import { ZoneIndex } from './zone-index.js';
import { IndexedZone } from './zone-lookup.js';

export interface ZoneOptions {
  /** TTL of the records, in seconds: the kubernetes plugin's `ttl` (0 to 3600). */
  ttl?: number;
  /** The SOA serial; by default the store's resourceVersion, which grows with every change. */
  serial?: number;
}

/** kubeadm's Corefile sets `ttl 30` (the plugin's own default is 5), so kind serves 30. */
export const DEFAULT_TTL = 30;
/** The schema version CoreDNS announces (plugin/kubernetes DNSSchemaVersion). */
export const DNS_SCHEMA_VERSION = '1.1.0';
/** CoreDNS serves `dns-version` with a fixed TTL of eight hours, whatever `ttl` says. */
const DNS_VERSION_TTL = 28800;
/** The reverse zones of the Corefile's kubernetes block. */
const REVERSE_ZONES = ['in-addr.arpa.', 'ip6.arpa.'] as const;

function checkOptions(options: ZoneOptions): { ttl: number; serial: number | undefined } {
  const { ttl = DEFAULT_TTL, serial } = options;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
    throw new PodnetError(
      'InvalidUsage',
      `invalid DNS TTL ${ttl}: must be a whole number of seconds from 0 to 3600`,
    );
  }
  if (serial !== undefined && (!Number.isInteger(serial) || serial < 0 || serial > 0xffffffff)) {
    throw new PodnetError('InvalidUsage', `invalid SOA serial ${serial}: must be an unsigned 32-bit integer`);
  }
  return { ttl, serial };
}

/**
 * CoreDNS's SOA for a zone it serves (plugin/backend_lookup.go SOA): `ns.dns.<zone>` and
 * `hostmaster.<zone>`, fixed timers, the negative-caching minimum equal to the record TTL, and
 * the record's own TTL capped at 300.
 */
function soaRecord(zone: string, ttl: number, serial: number): ResourceRecord {
  const data: RData = {
    type: 'SOA',
    mname: `ns.dns.${zone}`,
    rname: `hostmaster.${zone}`,
    serial,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: ttl,
  };
  return { name: zone, ttl: Math.min(ttl, 300), data };
}

/** Slices by `<namespace>/<service>`, from the `kubernetes.io/service-name` label, in one pass. */
function slicesByService(store: Store): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const slice of store.list('EndpointSlice')) {
    const service = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!service) continue;
    const key = `${slice.metadata.namespace}/${service}`;
    const list = out.get(key);
    if (list) list.push(slice);
    else out.set(key, [slice]);
  }
  return out;
}

/**
 * The apex: SOA, NS, `ns.dns.<zone>` and the 2.2 `dns-version` TXT. CoreDNS names as the
 * nameserver the Service whose endpoints it runs behind — kube-dns, the address every pod's
 * resolv.conf lists — and falls back to `ns.dns.<zone>` at that address (plugin/kubernetes
 * ns.go). The reverse zones get the same NS and a SOA of their own.
 */
function addApex(
  ctx: RecordContext,
  config: ClusterConfig,
  services: readonly Service[],
  serial: number,
): ResourceRecord[] {
  const { index, domain, ttl } = ctx;
  const resolver = formatIP(wellKnownServiceIP(config, 10));
  const dns = services.find((svc) => clusterIPsOf(svc).some((ip) => formatIP(ip) === resolver));
  const nsDNS = `ns.dns.${domain}`;
  index.node(`dns.${domain}`);
  const addresses = dns ? clusterIPsOf(dns) : [parseIP(resolver)].filter((ip) => ip !== undefined);
  for (const ip of addresses) {
    const address = formatIP(ip);
    index.add({
      name: nsDNS,
      ttl,
      data: ip.family === 'IPv4' ? { type: 'A', address } : { type: 'AAAA', address },
    });
  }
  const nameserver = dns ? serviceName(dns, domain) : nsDNS;
  const glueNode = index.node(nameserver);
  const glue = [...(glueNode.a ?? []), ...(glueNode.aaaa ?? [])];

  const soas: ResourceRecord[] = [];
  for (const zone of [domain, ...REVERSE_ZONES]) {
    const soa = soaRecord(zone, ttl, serial);
    soas.push(soa);
    index.add(soa);
    index.add({ name: zone, ttl, data: { type: 'NS', target: nameserver } });
    index.node(zone).additional = glue;
  }
  index.add({
    name: `dns-version.${domain}`,
    ttl: DNS_VERSION_TTL,
    data: { type: 'TXT', text: [DNS_SCHEMA_VERSION] },
  });
  return soas;
}

/** The zone the cluster DNS serves for the objects in `store`. */
export function computeZone(store: Store, config: ClusterConfig, options: ZoneOptions = {}): ClusterZone {
  const { ttl, serial = store.resourceVersion % 2 ** 32 } = checkOptions(options);
  const domain = normalizeName(config.clusterDomain);
  const index = new ZoneIndex(ttl);
  const ctx: RecordContext = { index, domain, ttl };

  // CoreDNS answers only in namespaces that exist; in one that does, `<ns>.svc` and `<ns>.pod`
  // are names with no data (findServices, findPods: "NODATA"). These, `dns.<zone>` and each
  // `_<proto>.<service>` are all the empty non-terminals there are: every other owner's parent
  // owns records itself.
  const namespaces = new Set(store.list('Namespace').map((ns) => ns.metadata.name));
  index.node(`svc.${domain}`);
  index.node(`pod.${domain}`);
  for (const ns of namespaces) {
    index.node(`${ns}.svc.${domain}`);
    index.node(`${ns}.pod.${domain}`);
  }

  const services = store
    .list('Service')
    .filter((svc) => namespaces.has(svc.metadata.namespace ?? ''))
    .map((svc) => ({ svc, key: objectKey(svc) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ svc }) => svc);
  addServiceRecords(ctx, services, slicesByService(store));
  const [soa, ...reverseSOAs] = addApex(ctx, config, services, serial);

  index.sortSets();
  const pods = new PodAddresses(
    store.list('Pod').filter((pod) => namespaces.has(pod.metadata.namespace ?? '')),
  );
  return new IndexedZone({
    domain,
    index,
    ttl,
    namespaces,
    soa,
    reverseSOAs,
    unindexed: () => pods.records(domain, ttl),
  });
}
