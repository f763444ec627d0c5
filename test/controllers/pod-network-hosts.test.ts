import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { Pod, PodSpec, PodStatus, Service } from '../../src/api/types.js';
import { hostsFile, podHostname, podNetworkEnvironment } from '../../src/controllers/kubelet/pod-network.js';
import { Store } from '../../src/store/store.js';

const config = defaultClusterConfig();

function pod(
  name: string,
  spec: Partial<PodSpec> = {},
  status: PodStatus = { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] },
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { containers: [], ...spec },
    status,
  };
}

const HEADER =
  '# Kubernetes-managed hosts file.\n' +
  '127.0.0.1\tlocalhost\n' +
  '::1\tlocalhost ip6-localhost ip6-loopback\n' +
  'fe00::0\tip6-localnet\n' +
  'fe00::0\tip6-mcastprefix\n' +
  'fe00::1\tip6-allnodes\n' +
  'fe00::2\tip6-allrouters\n';

const cases: { rule: string; pod: Pod; nodeHosts?: string; text: string }[] = [
  {
    rule: 'the managed file: header, localhost entries, then the pod IP with its name',
    pod: pod('web-0'),
    text: `${HEADER}10.244.1.5\tweb-0\n`,
  },
  {
    rule: 'spec.hostname replaces the pod name',
    pod: pod('web-0', { hostname: 'alpha' }),
    text: `${HEADER}10.244.1.5\talpha\n`,
  },
  {
    rule: 'with a subdomain the FQDN <hostname>.<subdomain>.<ns>.svc.<domain> comes first',
    pod: pod('web-0', { subdomain: 'web' }),
    text: `${HEADER}10.244.1.5\tweb-0.web.shop.svc.cluster.local\tweb-0\n`,
  },
  {
    rule: 'one line per pod IP (dual-stack podIPs)',
    pod: pod(
      'web-0',
      {},
      { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }] },
    ),
    text: `${HEADER}10.244.1.5\tweb-0\nfd00:10:244:1::5\tweb-0\n`,
  },
  {
    rule: 'HostAliases follow under their own comment, one line per IP, hostnames tab-separated',
    pod: pod('web-0', {
      hostAliases: [
        { ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] },
        { ip: '10.1.2.3', hostnames: ['foo.remote'] },
      ],
    }),
    text: `${HEADER}10.244.1.5\tweb-0\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n`,
  },
  {
    rule: 'a pod without an IP gets no line of its own',
    pod: pod('web-0', {}, {}),
    text: HEADER,
  },
  {
    rule: "hostNetwork pods get the node's /etc/hosts under the host-network header, plus HostAliases",
    pod: pod('agent', {
      hostNetwork: true,
      nodeName: 'n1',
      hostAliases: [{ ip: '10.1.2.3', hostnames: ['x'] }],
    }),
    nodeHosts: '127.0.0.1\tlocalhost\n172.18.0.3\tn1\n',
    text: '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n172.18.0.3\tn1\n\n# Entries added by HostAliases.\n10.1.2.3\tx\n',
  },
  {
    rule: "hostNetwork pods without the node's file: Docker's kind node file with the node's name and IP",
    pod: pod(
      'agent',
      { hostNetwork: true, nodeName: 'podnet-worker' },
      { hostIP: '172.18.0.3', podIP: '172.18.0.3' },
    ),
    text:
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
      'fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.18.0.3\tpodnet-worker\n',
  },
];

for (const c of cases) {
  test(`/etc/hosts: ${c.rule} (kubelet managedHostsFileContent / nodeHostsFileContent)`, () => {
    assert.equal(hostsFile(c.pod, config, c.nodeHosts), c.text);
  });
}

test('hostname: longer than 63 characters is truncated and a trailing - or . trimmed (truncatePodHostnameIfNeeded)', () => {
  const long = `${'a'.repeat(62)}-bcd`;
  const h = podHostname(pod(long), config);
  assert.equal(h.hostname, 'a'.repeat(62));
  assert.equal(h.warnings.length, 1);
  assert.equal(hostsFile(pod(long), config), `${HEADER}10.244.1.5\t${'a'.repeat(62)}\n`);
});

const kernel: { rule: string; spec: Partial<PodSpec>; name?: string; expect: string | undefined }[] = [
  { rule: 'the hostname', spec: {}, expect: 'web-0' },
  { rule: 'the hostname even with a subdomain', spec: { subdomain: 'web' }, expect: 'web-0' },
  {
    rule: 'the FQDN with setHostnameAsFQDN',
    spec: { subdomain: 'web', setHostnameAsFQDN: true },
    expect: 'web-0.web.shop.svc.cluster.local',
  },
  {
    rule: 'the hostname with setHostnameAsFQDN but no subdomain',
    spec: { setHostnameAsFQDN: true },
    expect: 'web-0',
  },
  {
    rule: "the node's name on hostNetwork",
    spec: { hostNetwork: true, nodeName: 'podnet-worker' },
    expect: 'podnet-worker',
  },
  {
    rule: 'nothing when the FQDN exceeds 64 characters (the sandbox cannot be created)',
    spec: { hostname: 'h'.repeat(40), subdomain: 'web', setHostnameAsFQDN: true },
    expect: undefined,
  },
];

for (const c of kernel) {
  test(`hostname: the container sees ${c.rule} (GetNodenameForKernel)`, () => {
    assert.equal(podHostname(pod('web-0', c.spec), config).kernelHostname, c.expect);
  });
}

test('pod network environment: env, resolv.conf, hosts and hostname from one snapshot', () => {
  const store = new Store();
  const kubernetes: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default' },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] },
  };
  store.put(kubernetes);
  const env = podNetworkEnvironment(pod('web-0', { subdomain: 'web' }), store, config);
  assert.equal(env.env.find((e) => e.name === 'KUBERNETES_SERVICE_HOST')?.value, '10.96.0.1');
  assert.equal(env.resolvConf.nameservers[0], '10.96.0.10');
  assert.ok(env.hosts.endsWith('10.244.1.5\tweb-0.web.shop.svc.cluster.local\tweb-0\n'));
  assert.equal(env.hostname, 'web-0');
  assert.deepEqual(env.warnings, []);
});
