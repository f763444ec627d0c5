// `podnet lint`: what is wrong with a cluster's networking, as findings with a stable code, a
// severity, the object and the field (docs/lint.md). Exit 0 whatever was found, unless --strict
// and an error-level finding is in scope: then 1 (DESIGN.md "Command line": a check failed).

import type { Command } from 'commander';
import { matches, type Selector } from '../api/labels.js';
import { lint, RULES, type SubjectFinding } from '../lint/index.js';
import {
  addSourceOptions,
  type CliIO,
  checkOutputFormat,
  EXIT,
  loadCluster,
  parseLabelSelector,
  type ScopeFlags,
  type SourceFlags,
} from './common.js';
import {
  printFindingsJSON,
  printFindingsTable,
  printFindingsYAML,
  printRulesTable,
} from './printers/findings.js';

const FORMATS = ['table', 'json', 'yaml'] as const;

/** pflag reads `-o=json` as `json` (as common.ts does for every command). */
const value = (v: string): string => (v.startsWith('=') ? v.slice(1) : v);

export interface LintFlags extends SourceFlags, ScopeFlags {
  strict?: boolean;
  ingressClass?: string;
  rules?: boolean;
}

/**
 * Which findings are shown. A linter reads all it is given, so without -n every namespace is in
 * scope (as `kubectl get -f` shows each object in its own namespace); -n keeps the findings about
 * objects of one namespace, -l those about objects whose labels match.
 */
interface LintScope {
  readonly namespace?: string;
  readonly selector?: Selector;
}

function scopeOf(flags: LintFlags): LintScope {
  return {
    namespace: flags.allNamespaces ? undefined : flags.namespace || undefined,
    selector: flags.selector !== undefined ? parseLabelSelector(flags.selector) : undefined,
  };
}

function inScope(f: SubjectFinding, scope: LintScope): boolean {
  if (scope.namespace !== undefined && f.subject.metadata.namespace !== scope.namespace) return false;
  return scope.selector === undefined || matches(scope.selector, f.subject.metadata.labels);
}

function describeScope(scope: LintScope, flags: LintFlags): string {
  const where = scope.namespace !== undefined ? ` in namespace ${JSON.stringify(scope.namespace)}` : '';
  return flags.selector !== undefined ? `${where} for -l ${JSON.stringify(flags.selector)}` : where;
}

/** Runs `lint`; returns the exit code. Usage and input errors are thrown as `PodnetError`. */
export async function runLint(flags: LintFlags, io: CliIO): Promise<number> {
  checkOutputFormat(flags.output, FORMATS);
  if (flags.rules) {
    io.out(printRulesTable(RULES));
    return EXIT.ok;
  }
  const scope = scopeOf(flags);
  const { store, config } = await loadCluster(flags, io);
  const findings = lint(store, config, { ingressClass: flags.ingressClass }).filter((f) => inScope(f, scope));

  switch (flags.output ?? 'table') {
    case 'json':
      io.out(printFindingsJSON(findings));
      break;
    case 'yaml':
      io.out(printFindingsYAML(findings));
      break;
    default:
      // As kubectl says "No resources found", on stderr, so stdout stays empty for scripts.
      if (findings.length === 0) io.err(`No findings${describeScope(scope, flags)}.\n`);
      else io.out(printFindingsTable(findings));
  }
  return flags.strict && findings.some((f) => f.severity === 'error') ? EXIT.failed : EXIT.ok;
}

export function registerLint(program: Command, io: CliIO): void {
  const cmd = program
    .command('lint')
    .summary('find what is wrong with the networking: selectors, ports, backends, policies, DNS')
    .description(
      'Check the computed cluster for networking mistakes: Services that select nothing or target ' +
        'ports their pods do not serve, Ingress backends that do not exist, host port and container ' +
        'port conflicts, NetworkPolicies and peers that select nothing, egress policies that cut pods ' +
        'off from DNS, names that will not resolve. Each finding has a stable code (docs/lint.md).',
    );
  addSourceOptions(cmd);
  // The scope flags of addScopeOptions, but -n has no default: a linter reads all it is given.
  cmd
    .option(
      '-n, --namespace <ns>',
      'only findings about objects in this namespace (default: every namespace)',
      value,
    )
    .option('-A, --all-namespaces', 'every namespace (the default)')
    .option(
      '-l, --selector <selector>',
      'only findings about objects whose labels match, as kubectl: a=b, a!=b, a in (x,y), !a',
      value,
    )
    .option('-o, --output <format>', `output format: ${FORMATS.join('|')}`, value)
    .option('--strict', 'exit 1 when an error-level finding is in scope')
    .option(
      '--ingress-class <name>',
      'the IngressClass to play the controller of (default: the default class)',
    )
    .option('--rules', 'list every rule: its code, severity and what it finds')
    .addHelpText(
      'after',
      `
Without -n, findings about every namespace are shown; -n NS keeps those about objects in NS,
-l SELECTOR those about objects whose labels match. Findings are sorted by severity (error,
warning, info), then object, field and code.
Exit codes: 0 done (findings or not), 1 --strict and an error-level finding, 2 bad usage or
invalid input.

Examples:
  podnet lint -f examples/shop
  podnet lint -n shop-data -o json -f examples/shop
  podnet lint --strict -f k8s/ && kubectl apply -f k8s/
  podnet lint --rules`,
    )
    .action(async (flags: LintFlags) => {
      io.setExitCode(await runLint(flags, io));
    });
}
