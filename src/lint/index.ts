// `podnet lint`'s pure part: the rules, and the run that turns a computed cluster into findings.

export type { LintOptions } from './context.js';
export { compareFindings, lint, RULES } from './rules.js';
export type { Finding, Rule, Severity, SubjectFinding } from './types.js';
