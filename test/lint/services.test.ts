import { test } from 'node:test';
import { type Case, checkCase, deployment, NAMESPACE, service } from './fixtures.js';

const WEB = NAMESPACE + deployment('web');

const CASES: Case[] = [
  {
    name: 'Service: a selector matching no pod leaves the Service without endpoints (EndpointSlice controller)',
    yaml: WEB + service('web', 'wbe'),
    code: 'service-selects-nothing',
    expect: ['Service/app/web spec.selector'],
    message: ['selector app=wbe matches no pod in namespace app'],
  },
  {
    name: 'Service: finished pods (Succeeded, Failed) are never endpoints (EndpointSlice ShouldPodBeInEndpoints)',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Pod
metadata: {name: done, namespace: app, labels: {app: job}}
spec: {nodeName: podnet-worker, containers: [{name: main, image: busybox}]}
status: {phase: Succeeded}
${service('job', 'job', '[{port: 80}]')}`,
    code: 'service-selects-nothing',
    expect: ['Service/app/job spec.selector'],
    message: ['matches only pods that have finished'],
  },
  {
    name: 'Service: a selector matching pods is silent',
    yaml: WEB + service('web', 'web'),
    code: 'service-selects-nothing',
    expect: [],
  },
  {
    name: 'Service: without a selector the endpoints are written by hand, and ExternalName has none (silent)',
    yaml: `${WEB}
---
apiVersion: v1
kind: Service
metadata: {name: manual, namespace: app}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: app}
spec:
  type: ExternalName
  externalName: db.example.com
`,
    code: 'service-selects-nothing',
    expect: [],
  },
  {
    name: 'Service: a Service selects pods of its own namespace only',
    yaml: `${WEB}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: other}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`,
    code: 'service-selects-nothing',
    expect: ['Service/other/web spec.selector'],
  },
  {
    name: 'Service: a numeric targetPort no container declares is still forwarded (warning)',
    yaml:
      WEB +
      service('web', 'web', '[{name: a, port: 80, targetPort: http}, {name: b, port: 81, targetPort: 9090}]'),
    code: 'service-target-port-not-declared',
    expect: ['Service/app/web spec.ports[1].targetPort'],
    message: ['declares containerPort 9090/TCP'],
  },
  {
    name: 'Service: targetPort defaults to port, and a declared port is silent',
    yaml: WEB + service('web', 'web', '[{port: 8080}]'),
    code: 'service-target-port-not-declared',
    expect: [],
  },
  {
    name: 'Service: a numeric targetPort declared with another protocol serves nothing on this one',
    yaml: WEB + service('web', 'web', '[{port: 53, targetPort: 8080, protocol: UDP}]'),
    code: 'service-target-port-not-declared',
    expect: ['Service/app/web spec.ports[0].targetPort'],
    message: ['another protocol, not UDP'],
  },
  {
    name: 'Service: a sidecar (init container with restartPolicy Always) serves its ports beside the app',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app, labels: {app: p}}
spec:
  initContainers: [{name: proxy, image: envoy, restartPolicy: Always, ports: [{name: proxy, containerPort: 15001}]}]
  containers: [{name: main, image: nginx}]
${service('p', 'p', '[{name: a, port: 80, targetPort: 15001}, {name: b, port: 81, targetPort: proxy}]')}`,
    code: 'service-target-port-not-declared',
    expect: [],
  },
  {
    name: 'Service: a named targetPort no selected pod declares gets no EndpointSlice port (podutil.FindPort)',
    yaml: WEB + service('web', 'web', '[{port: 80, targetPort: https}]'),
    code: 'service-target-port-name-missing',
    expect: ['Service/app/web spec.ports[0].targetPort'],
    message: ['declare no container port named "https"'],
  },
  {
    name: 'Service: a named targetPort resolves by name and protocol (podutil.FindPort)',
    yaml: WEB + service('web', 'web', '[{port: 80, targetPort: http, protocol: UDP}]'),
    code: 'service-target-port-name-missing',
    expect: ['Service/app/web spec.ports[0].targetPort'],
    message: ['with protocol UDP'],
  },
  {
    name: 'Service: a named targetPort every selected pod declares is silent',
    yaml: WEB + service('web', 'web'),
    code: 'service-target-port-name-missing',
    expect: [],
  },
  {
    name: 'Service: pods lacking a named targetPort are endpoints without that port (EndpointSlice port groups)',
    yaml:
      NAMESPACE +
      deployment('a', { labels: 'tier: x' }) +
      deployment('b', { labels: 'tier: x', ports: '[{name: web, containerPort: 8080}]' }) +
      service('both', 'tier: x'),
    code: 'service-target-port-name-partial',
    expect: ['Service/app/both spec.ports[0].targetPort'],
    message: ['2 of 4 selected pods'],
  },
  {
    name: 'Service: publishNotReadyAddresses on a cluster IP sends traffic to unready pods (EndpointSlice ready condition)',
    yaml: WEB + service('web', 'web', undefined, '  publishNotReadyAddresses: true'),
    code: 'service-publish-not-ready',
    expect: ['Service/app/web spec.publishNotReadyAddresses'],
  },
  {
    name: 'Service: publishNotReadyAddresses on a headless Service is its documented use (StatefulSet peer discovery)',
    yaml: WEB + service('web', 'web', undefined, '  clusterIP: None\n  publishNotReadyAddresses: true'),
    code: 'service-publish-not-ready',
    expect: [],
  },
  {
    name: 'Service: a LoadBalancer whose loadBalancerIP is outside the pool stays <pending>',
    yaml: WEB + service('web', 'web', undefined, '  type: LoadBalancer\n  loadBalancerIP: 192.0.2.1'),
    code: 'loadbalancer-pending',
    expect: ['Service/app/web status.loadBalancer.ingress'],
    message: ['loadBalancerIP 192.0.2.1'],
  },
  {
    name: 'Service: a LoadBalancer given an address from the pool is silent',
    yaml: WEB + service('web', 'web', undefined, '  type: LoadBalancer'),
    code: 'loadbalancer-pending',
    expect: [],
  },
  {
    name: 'Service: a LoadBalancer of another loadBalancerClass belongs to another controller (silent)',
    yaml: WEB + service('web', 'web', undefined, '  type: LoadBalancer\n  loadBalancerClass: example.com/lb'),
    code: 'loadbalancer-pending',
    expect: [],
  },
];

for (const c of CASES) test(c.name, () => checkCase(c));
