// Lint tests read small clusters written as YAML, built the way every source builds one
// (admission with its defaults, then the controllers), and compare the findings of one code as
// `object field` lines, so a table row states exactly where a finding must (or must not) land.

import assert from 'node:assert/strict';
import { type ClusterConfig, defaultClusterConfig } from '../../src/api/cluster-config.js';
import { parseManifests } from '../../src/api/manifests.js';
import { buildCluster } from '../../src/cluster/build.js';
import { type Finding, type LintOptions, lint, RULES, type SubjectFinding } from '../../src/lint/index.js';

/** Every finding for the cluster the YAML describes; the input must be valid. */
export function lintYAML(
  yaml: string,
  options: LintOptions = {},
  config: ClusterConfig = defaultClusterConfig(),
): SubjectFinding[] {
  const read = parseManifests(yaml, 'lint.yaml');
  assert.deepEqual(read.diagnostics, []);
  const snap = buildCluster(read.objects, { config });
  const errors = snap.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(snap.ok, true, JSON.stringify(errors));
  return lint(snap.store, snap.config, options);
}

/** The findings of one code as `Kind/ns/name field` lines, in output order. */
export function located(findings: readonly Finding[], code: string): string[] {
  assert.ok(
    RULES.some((r) => r.code === code),
    `no rule ${code}`,
  );
  return findings.filter((f) => f.code === code).map((f) => `${f.object} ${f.field}`);
}

/** The one finding of `code` (asserting there is exactly one). */
export function only(findings: readonly Finding[], code: string): Finding {
  const of = findings.filter((f) => f.code === code);
  assert.equal(of.length, 1, `expected one ${code}, got ${JSON.stringify(of, null, 2)}`);
  return of[0];
}

/** A case of a table: a rule's finding where it belongs, or silence on a correct object. */
export interface Case {
  /** Names the upstream rule the case checks. */
  readonly name: string;
  readonly yaml: string;
  readonly code: string;
  /** `Kind/ns/name field` of each expected finding of `code`; empty: the rule stays silent. */
  readonly expect: readonly string[];
  /** Fragments the message of each finding must contain. */
  readonly message?: readonly string[];
}

export function checkCase(c: Case): void {
  const findings = lintYAML(c.yaml);
  assert.deepEqual(located(findings, c.code), c.expect);
  for (const f of findings.filter((x) => x.code === c.code))
    for (const part of c.message ?? []) assert.ok(f.message.includes(part), `${f.message}\n lacks ${part}`);
}

export const NAMESPACE = `
apiVersion: v1
kind: Namespace
metadata: {name: app}
`;

export interface WorkloadOptions {
  /** The container's ports, as flow YAML. */
  readonly ports?: string;
  readonly replicas?: number;
  /** More template labels, as flow YAML pairs: `tier: x`. */
  readonly labels?: string;
}

/** A Deployment `name` in namespace app: template labels app=<name>, one container. */
export function deployment(name: string, options: WorkloadOptions = {}): string {
  const labels = options.labels ? `app: ${name}, ${options.labels}` : `app: ${name}`;
  return `
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: app}
spec:
  replicas: ${options.replicas ?? 2}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
      containers: [{name: main, image: nginx, ports: ${options.ports ?? '[{name: http, containerPort: 8080}]'}}]
`;
}

/** A Service `name` in namespace app selecting `selector` (flow YAML pairs, or a bare app name). */
export function service(
  name: string,
  selector: string,
  ports = '[{port: 80, targetPort: http}]',
  extra = '',
): string {
  const pairs = selector.includes(':') ? selector : `app: ${selector}`;
  return `
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: app}
spec:
  selector: {${pairs}}
  ports: ${ports}
${extra}`;
}
