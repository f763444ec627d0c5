// The API server's warnings for pods and pod templates (pkg/api/pod/warnings.go), the
// networking ones: containers of one pod share a network namespace, so two of them declaring
// the same containerPort/protocol is accepted but almost certainly a mistake.

import type { FieldError } from '../errors.js';
import type { Container, ContainerPort, PodSpec } from '../types.js';
import { type Path, warning } from './path.js';

/** Go's `%+v` of a ContainerPort, as the hostIP warning prints it. */
function goPort(port: ContainerPort): string {
  return `{Name:${port.name ?? ''} HostPort:${port.hostPort ?? 0} ContainerPort:${port.containerPort} Protocol:${port.protocol ?? ''} HostIP:${port.hostIP ?? ''}}`;
}

/** Containers in the order pods.VisitContainersWithPath walks them. */
function* visitContainers(spec: PodSpec, p: Path): Generator<[Container, Path]> {
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const list = spec[field] as Container[] | undefined;
    if (list) for (let i = 0; i < list.length; i++) yield [list[i], p.child(field).index(i)];
  }
}

export function podSpecWarnings(spec: PodSpec, p: Path, warnings: FieldError[]): void {
  if (spec.hostAliases && spec.hostAliases.length > 1) {
    const ips = new Set<string>();
    spec.hostAliases.forEach((a, i) => {
      if (ips.has(a.ip))
        warnings.push(
          warning(p.child('hostAliases').index(i).child('ip'), `duplicate ip ${JSON.stringify(a.ip)}`),
        );
      ips.add(a.ip);
    });
  }

  const seen = new Map<string, { path: Path; port: ContainerPort }[]>();
  for (const [c, cp] of visitContainers(spec, p)) {
    c.ports?.forEach((port, i) => {
      const pp = cp.child('ports').index(i);
      if (port.hostIP && !port.hostPort)
        warnings.push(warning(pp, `hostIP set without hostPort: ${goPort(port)}`));
      const key = `${port.containerPort}/${port.protocol}`;
      const others = seen.get(key);
      if (!others) {
        seen.set(key, [{ path: pp, port }]);
        return;
      }
      for (const other of others) {
        const hostIP = port.hostIP ?? '';
        const otherHostIP = other.port.hostIP ?? '';
        const hostPort = port.hostPort ?? 0;
        const otherHostPort = other.port.hostPort ?? 0;
        if (hostIP === otherHostIP && hostPort === otherHostPort) {
          warnings.push(warning(pp, `duplicate port definition with ${other.path}`));
        } else if (hostPort === 0 || otherHostPort === 0) {
          warnings.push(warning(pp, `overlapping port definition with ${other.path}`));
        } else if (hostPort === otherHostPort && (hostIP === '') !== (otherHostIP === '')) {
          warnings.push(warning(pp, `dangerously ambiguous port definition with ${other.path}`));
        }
      }
      others.push({ path: pp, port });
    });
  }
}
