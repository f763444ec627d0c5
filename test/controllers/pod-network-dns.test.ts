import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { DNSPolicy, Pod, PodDNSConfig, Service } from '../../src/api/types.js';
import {
  clusterDNSAddresses,
  type DNSInputs,
  parseResolvConf,
  resolvConf,
} from '../../src/controllers/kubelet/pod-network.js';
import { Store } from '../../src/store/store.js';

const config = defaultClusterConfig();
const CLUSTER: DNSInputs = { clusterDNS: ['10.96.0.10'] };
const NODE_RESOLV =
  '# from DHCP\nsearch corp.example. lab.example .\nnameserver 192.0.2.53\nnameserver 192.0.2.54\noptions edns0 ndots:2\n';

function pod(
  opts: { dnsPolicy?: DNSPolicy; hostNetwork?: boolean; dnsConfig?: PodDNSConfig; ns?: string } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: opts.ns ?? 'shop' },
    spec: {
      containers: [],
      dnsPolicy: opts.dnsPolicy,
      hostNetwork: opts.hostNetwork,
      dnsConfig: opts.dnsConfig,
    },
  };
}

const CLUSTER_TEXT =
  'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';
const STAND_IN_TEXT = 'nameserver 172.18.0.1\noptions ndots:0\n';

const policies: { rule: string; pod: Pod; inputs: DNSInputs; base: string; text: string }[] = [
  {
    rule: 'ClusterFirst: the cluster DNS, the cluster search path, ndots:5',
    pod: pod({ dnsPolicy: 'ClusterFirst' }),
    inputs: CLUSTER,
    base: 'cluster',
    text: CLUSTER_TEXT,
  },
  {
    rule: 'an unset dnsPolicy is ClusterFirst (API default)',
    pod: pod(),
    inputs: CLUSTER,
    base: 'cluster',
    text: CLUSTER_TEXT,
  },
  {
    rule: 'ClusterFirst on hostNetwork falls back to Default (getPodDNSType)',
    pod: pod({ dnsPolicy: 'ClusterFirst', hostNetwork: true }),
    inputs: CLUSTER,
    base: 'host',
    text: STAND_IN_TEXT,
  },
  {
    rule: 'ClusterFirstWithHostNet gives hostNetwork pods the cluster DNS',
    pod: pod({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }),
    inputs: CLUSTER,
    base: 'cluster',
    text: CLUSTER_TEXT,
  },
  {
    rule: "Default: the node's resolv.conf as parsed (last search line, trailing dots and '.' dropped)",
    pod: pod({ dnsPolicy: 'Default' }),
    inputs: { ...CLUSTER, hostResolvConf: NODE_RESOLV },
    base: 'host',
    text: 'search corp.example lab.example\nnameserver 192.0.2.53\nnameserver 192.0.2.54\noptions edns0 ndots:2\n',
  },
  {
    rule: "Default without the node's file: a kind node's (the node network gateway, ndots:0)",
    pod: pod({ dnsPolicy: 'Default' }),
    inputs: CLUSTER,
    base: 'host',
    text: STAND_IN_TEXT,
  },
  {
    rule: "ClusterFirst appends the node's search domains; the node's nameservers and options are not used",
    pod: pod(),
    inputs: { ...CLUSTER, hostResolvConf: NODE_RESOLV },
    base: 'cluster',
    text: 'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n',
  },
  {
    rule: 'None: only dnsConfig',
    pod: pod({
      dnsPolicy: 'None',
      dnsConfig: {
        nameservers: ['1.1.1.1'],
        searches: ['example.org'],
        options: [{ name: 'ndots', value: '1' }],
      },
    }),
    inputs: { ...CLUSTER, hostResolvConf: NODE_RESOLV },
    base: 'none',
    text: 'search example.org\nnameserver 1.1.1.1\noptions ndots:1\n',
  },
  {
    rule: 'ClusterFirst without a cluster DNS address falls back to Default (MissingClusterDNS)',
    pod: pod(),
    inputs: { clusterDNS: [], hostResolvConf: NODE_RESOLV },
    base: 'host',
    text: 'search corp.example lab.example\nnameserver 192.0.2.53\nnameserver 192.0.2.54\noptions edns0 ndots:2\n',
  },
];

for (const c of policies) {
  test(`resolv.conf: ${c.rule} (kubelet GetPodDNS)`, () => {
    const r = resolvConf(c.pod, config, c.inputs);
    assert.equal(r.base, c.base);
    assert.equal(r.text, c.text);
  });
}

test('resolv.conf: dnsConfig is merged: nameservers and searches appended without duplicates, options by name, later wins (appendDNSConfig)', () => {
  const r = resolvConf(
    pod({
      dnsConfig: {
        nameservers: ['10.96.0.10', '192.0.2.1'],
        searches: ['svc.cluster.local', 'example.org'],
        options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }, { name: 'timeout', value: '1' }],
      },
    }),
    config,
    CLUSTER,
  );
  assert.deepEqual(r.nameservers, ['10.96.0.10', '192.0.2.1']);
  assert.deepEqual(r.searches, [
    'shop.svc.cluster.local',
    'svc.cluster.local',
    'cluster.local',
    'example.org',
  ]);
  assert.deepEqual(r.options, [
    { name: 'ndots', value: '2' },
    { name: 'edns0' },
    { name: 'timeout', value: '1' },
  ]);
  assert.equal(r.text.split('\n').at(-2), 'options ndots:2 edns0 timeout:1');
  assert.deepEqual(r.warnings, []);
});

test('resolv.conf: at most 3 nameservers, the rest omitted with a DNSConfigForming warning (formDNSNameserversFitsLimits)', () => {
  const r = resolvConf(
    pod({ dnsConfig: { nameservers: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] } }),
    config,
    CLUSTER,
  );
  assert.deepEqual(r.nameservers, ['10.96.0.10', '192.0.2.1', '192.0.2.2']);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /Nameserver limits were exceeded.*: 10\.96\.0\.10 192\.0\.2\.1 192\.0\.2\.2$/);
});

const searchLimits: { rule: string; extra: string[]; expect: (s: string[]) => void }[] = [
  {
    rule: 'at most 32 search domains (MaxDNSSearchPaths)',
    extra: Array.from({ length: 40 }, (_, i) => `d${i}.example`),
    expect: (s) => {
      assert.equal(s.length, 32);
      assert.equal(s[31], 'd28.example');
    },
  },
  {
    rule: 'a search domain over 253 characters is dropped (glibc 2.28 aborts on them)',
    extra: [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.example`, 'ok.example'],
    expect: (s) => assert.deepEqual(s.slice(3), ['ok.example']),
  },
  {
    rule: 'the search line is cut to 2048 characters by dropping whole domains from the end (MaxDNSSearchListChars)',
    extra: Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}${'x'.repeat(120)}.example`),
    expect: (s) => {
      assert.ok(s.join(' ').length <= 2048);
      const next = `${String(s.length - 3).padStart(2, '0')}${'x'.repeat(120)}.example`;
      assert.ok(s.join(' ').length + 1 + next.length > 2048, 'cut no more than needed');
    },
  },
];

for (const c of searchLimits) {
  test(`resolv.conf: ${c.rule}, with a DNSConfigForming warning (formDNSSearchFitsLimits)`, () => {
    const r = resolvConf(pod({ dnsConfig: { searches: c.extra } }), config, CLUSTER);
    c.expect(r.searches);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /Search Line limits were exceeded/);
    assert.ok(r.warnings[0].endsWith(r.searches.join(' ')));
  });
}

test('resolv.conf: an empty cluster domain gives only the node search path (generateSearchesForDNSClusterFirst)', () => {
  const noDomain = { ...config, clusterDomain: '' };
  const r = resolvConf(pod(), noDomain, { ...CLUSTER, hostResolvConf: NODE_RESOLV });
  assert.deepEqual(r.searches, ['corp.example', 'lab.example']);
});

test('resolv.conf: parseResolvConf: nameservers accumulate, the last search wins, options merge by name', () => {
  const parsed = parseResolvConf(
    'search a.example\n  # comment\nnameserver 192.0.2.1\nsearch b.example. c.example\noptions ndots:1 rotate\noptions ndots:3\nnameserver\nnameserver 192.0.2.2\n',
  );
  assert.deepEqual(parsed, {
    servers: ['192.0.2.1', '192.0.2.2'],
    searches: ['b.example', 'c.example'],
    options: ['ndots:3', 'rotate'],
  });
});

test("resolv.conf: the cluster DNS is kube-system/kube-dns's cluster IP, else the tenth Service address (kubeadm clusterDNS)", () => {
  const store = new Store();
  assert.deepEqual(clusterDNSAddresses(store, config), ['10.96.0.10']);
  const kubeDNS: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system' },
    spec: { clusterIP: '10.96.0.53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
  };
  store.put(kubeDNS);
  assert.deepEqual(clusterDNSAddresses(store, config), ['10.96.0.53']);
});
