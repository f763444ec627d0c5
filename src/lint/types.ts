// What `podnet lint` reports (DESIGN.md "JSON shapes", `lint -o json`): findings, each with a
// stable code, a severity, the object and the field it is about, and a message that says what
// goes wrong on the wire and how to fix it.

import type { KubeObject } from '../api/types.js';
import type { LintContext } from './context.js';

/**
 * `error`: traffic the manifests plainly mean to carry is refused or goes nowhere; `warning`:
 * probably a mistake, or works only by accident; `info`: legitimate, but worth knowing.
 */
export type Severity = 'error' | 'warning' | 'info';

/** One finding, as `-o json` prints it. */
export interface Finding {
  readonly severity: Severity;
  /** Stable, kebab-case: scripts and docs/lint.md key on it. */
  readonly code: string;
  /** `Kind/ns/name`, or `Kind/name` for cluster-scoped objects (objectRef). */
  readonly object: string;
  /** The field the finding is about, as the API server renders paths: `spec.ports[1].targetPort`. */
  readonly field: string;
  readonly message: string;
}

/** A finding with the object it is about, so the command can scope findings by namespace and labels. */
export interface SubjectFinding extends Finding {
  readonly subject: KubeObject;
}

/** Reports one finding of the running rule about `subject` at `field`. */
export type Report = (subject: KubeObject, field: string, message: string) => void;

/** One check. Its code and severity never change; what it finds is documented in docs/lint.md. */
export interface Rule {
  readonly code: string;
  readonly severity: Severity;
  /** What the rule finds, in one line (for `podnet lint --rules`). */
  readonly title: string;
  check(ctx: LintContext, report: Report): void;
}
