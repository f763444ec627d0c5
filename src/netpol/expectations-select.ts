// The ends of each expectation, looked up in the cluster: the pods a selection names (from the
// store's label index), or the endpoint of an address or node; and its ports, named ports
// resolved on each destination pod. An end that selects nothing, a node without an address, or a
// named port some destination pod does not declare is an error of the file, reported for every
// expectation before anything is checked.

import type { Diagnostic } from '../api/errors.js';
import { EVERYTHING } from '../api/labels.js';
import type { Pod, Protocol } from '../api/types.js';
import type { IPFamily } from '../ip/index.js';
import { holdsIP } from './endpoints.js';
import { describePeer, type Expectation, type PeerSpec } from './expectations.js';
import type { PolicyModel } from './model.js';
import type { Endpoint, PortProtocol } from './types.js';

/** An end of an expectation: pods (each with an address of the family), or one endpoint. */
export type EndSelection =
  | {
      readonly kind: 'pods';
      readonly pods: readonly Pod[];
      /** Selected pods without an address of the family yet (`ns/name`): not checked. */
      readonly skipped: readonly string[];
    }
  | { readonly kind: 'endpoint'; readonly endpoint: Endpoint };

/** One port to check, on every destination (or, for a named port, on the pods it resolves on). */
export interface PortCheck {
  readonly port: PortProtocol;
  readonly to?: readonly Pod[];
}

export interface Selection {
  readonly expectation: Expectation;
  readonly from: EndSelection;
  readonly to: EndSelection;
  readonly checks: readonly PortCheck[];
  /** Absent: each pod's primary address. */
  readonly family?: IPFamily;
}

/** A value, or what is wrong; `shown` is the value the error echoes (`Invalid value: "..."`). */
type Outcome<T> = { ok: true; value: T } | { ok: false; message: string; shown?: string };

const podName = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

function namespacesOf(model: PolicyModel, spec: Extract<PeerSpec, { kind: 'pods' }>): string[] {
  if (spec.namespace !== undefined)
    return model.facts.namespaceLabels(spec.namespace) ? [spec.namespace] : [];
  return model.facts.namespacesCovered({ namespaces: { selector: spec.namespaceSelector ?? EVERYTHING } });
}

function selectPods(
  model: PolicyModel,
  spec: Extract<PeerSpec, { kind: 'pods' }>,
  family: IPFamily | undefined,
  allowEmpty: boolean,
): Outcome<EndSelection> {
  const store = model.store;
  const namespaces = namespacesOf(model, spec);
  const selected: Pod[] = [];
  for (const ns of namespaces) {
    if (spec.pod !== undefined) {
      const pod = store.get('Pod', ns, spec.pod);
      if (pod) selected.push(pod);
    } else selected.push(...(spec.selector ? store.select('Pod', ns, spec.selector) : store.list('Pod', ns)));
  }
  const pods: Pod[] = [];
  const skipped: string[] = [];
  for (const pod of selected) {
    if (model.podEndpoint(pod, family)) pods.push(pod);
    // Finished pods (Succeeded, Failed) no longer take part in any connection: not worth a note.
    else if (holdsIP(pod)) skipped.push(podName(pod));
  }
  skipped.sort();
  if (pods.length > 0 || allowEmpty) return { ok: true, value: { kind: 'pods', pods, skipped } };
  const hint = ' (set allowEmpty: true if that is intended)';
  if (spec.namespace !== undefined && namespaces.length === 0)
    return { ok: false, message: `namespace ${JSON.stringify(spec.namespace)} does not exist${hint}` };
  if (skipped.length > 0) {
    const which = family ? `an ${family} address` : 'an IP';
    return { ok: false, message: `none of the pods it selects has ${which}: ${skipped.join(', ')}${hint}` };
  }
  return { ok: false, message: `selects no pods${hint}` };
}

function selectEnd(
  model: PolicyModel,
  spec: PeerSpec,
  family: IPFamily | undefined,
  allowEmpty: boolean,
): Outcome<EndSelection> {
  switch (spec.kind) {
    case 'pods':
      return selectPods(model, spec, family, allowEmpty);
    case 'ip':
      return { ok: true, value: { kind: 'endpoint', endpoint: model.ipEndpoint(spec.ip) } };
    case 'node': {
      if (!model.store.get('Node', undefined, spec.name))
        return { ok: false, message: `node ${JSON.stringify(spec.name)} does not exist` };
      const endpoint = model.nodeEndpoint(spec.name, family);
      if (!endpoint)
        return {
          ok: false,
          message: `node ${spec.name} has no ${family ? `${family} ` : ''}InternalIP in status.addresses`,
        };
      return { ok: true, value: { kind: 'endpoint', endpoint } };
    }
  }
}

/** The port a pod declares under a name (and protocol, if given). */
function declaredPort(pod: Pod, name: string, protocol: Protocol | undefined): PortProtocol | undefined {
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      const proto = p.protocol ?? 'TCP';
      if (p.name === name && (protocol === undefined || proto === protocol))
        return { port: p.containerPort, protocol: proto };
    }
  }
  return undefined;
}

/** Numeric ports apply to every destination; a named port to the pods grouped by its number there. */
function portChecks(e: Expectation, to: EndSelection): Outcome<PortCheck[]> {
  const checks: PortCheck[] = [];
  for (const entry of e.ports) {
    if ('port' in entry) {
      checks.push({ port: entry });
      continue;
    }
    // A named port needs destination pods: parsing refused it with any other end.
    const pods = to.kind === 'pods' ? to.pods : [];
    const groups = new Map<string, { port: PortProtocol; pods: Pod[] }>();
    const missing: string[] = [];
    for (const pod of pods) {
      const port = declaredPort(pod, entry.name, entry.protocol);
      if (!port) {
        missing.push(podName(pod));
        continue;
      }
      const key = `${port.port}/${port.protocol}`;
      const group = groups.get(key);
      if (group) group.pods.push(pod);
      else groups.set(key, { port, pods: [pod] });
    }
    if (missing.length > 0) {
      const name = entry.protocol ? `${entry.name}/${entry.protocol}` : entry.name;
      return {
        ok: false,
        shown: name,
        message: `${missing.length} of the ${pods.length} destination pods declare no port named ${name}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
      };
    }
    for (const g of groups.values()) checks.push({ port: g.port, to: g.pods });
  }
  return { ok: true, value: checks };
}

type Report = (field: 'from' | 'to' | 'port', failure: { message: string; shown?: string }) => void;

function select(model: PolicyModel, e: Expectation, report: Report): Selection | undefined {
  // An address or node end fixes the family of the connections; pods follow it.
  let family = e.family;
  let from: EndSelection | undefined;
  let to: EndSelection | undefined;
  for (const side of ['from', 'to'] as const) {
    if (e[side].kind === 'pods') continue;
    const r = selectEnd(model, e[side], family, e.allowEmpty);
    if (!r.ok) report(side, r);
    else {
      if (side === 'from') from = r.value;
      else to = r.value;
      if (r.value.kind === 'endpoint') family ??= r.value.endpoint.ip.family;
    }
  }
  for (const side of ['from', 'to'] as const) {
    if (e[side].kind !== 'pods') continue;
    const r = selectEnd(model, e[side], family, e.allowEmpty);
    if (!r.ok) report(side, r);
    else if (side === 'from') from = r.value;
    else to = r.value;
  }
  if (!from || !to) return undefined;
  const checks = portChecks(e, to);
  if (!checks.ok) {
    report('port', checks);
    return undefined;
  }
  return { expectation: e, from, to, checks: checks.value, ...(family ? { family } : {}) };
}

/** Every expectation's selection, or the errors of all of them. */
export function selectAll(
  model: PolicyModel,
  expectations: readonly Expectation[],
): { ok: true; selections: Selection[] } | { ok: false; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const selections: Selection[] = [];
  for (const e of expectations) {
    const report: Report = (side, failure) => {
      const field = `${e.origin.field}.${side}`;
      const value = side === 'port' ? failure.shown : describePeer(e[side]);
      diagnostics.push({
        severity: 'error',
        file: e.origin.file,
        line: e.origin.lineOf([side]),
        field,
        message: `${field}: Invalid value: ${JSON.stringify(value)}: ${failure.message}`,
      });
    };
    const s = select(model, e, report);
    if (s) selections.push(s);
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, selections };
}
