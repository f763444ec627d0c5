// What every read command shares: the object-source flags (-f, --config, --skip-invalid,
// --kubeconfig, --lab), the scope flags (-n, -A, -l, -o), diagnostics on stderr, and the exit
// codes of DESIGN.md ("Command line"): 0 done, 1 a check failed (or, as kubectl, an object
// asked for by name is missing), 2 bad usage or invalid input, 3 no lab to read from.

import type { Command } from 'commander';
import { defaultClusterConfig } from '../api/cluster-config.js';
import { readClusterConfig } from '../api/cluster-config-file.js';
import { type Diagnostic, formatDiagnostic, PodnetError, type PodnetErrorCode } from '../api/errors.js';
import { parseSelector, type Selector, SelectorSyntaxError } from '../api/labels.js';
import type { ClusterSnapshot } from '../cluster/build.js';
import { ManifestSource } from '../source/manifests.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, labNotRunning: 3 } as const;

/** The process as a command sees it; tests and the lab daemon can supply their own. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The wall clock, read by printers for AGE only (never by compute). */
  now(): number;
  setExitCode(code: number): void;
}

export interface SourceFlags {
  filename?: string[];
  config?: string;
  skipInvalid?: boolean;
  kubeconfig?: string;
  context?: string;
  lab?: string;
}

export interface ScopeFlags {
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  output?: string;
}

export const DEFAULT_LAB = 'podnet';
export const DEFAULT_NAMESPACE = 'default';

/** pflag reads `-o=json` as `json`; commander would keep the `=`. */
const value = (v: string): string => (v.startsWith('=') ? v.slice(1) : v);
const collect = (v: string, previous: string[] = []): string[] => [...previous, value(v)];

export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option(
      '-f, --filename <path>',
      'read manifests: a file, a directory (recursively) or - for stdin; repeatable',
      collect,
    )
    .option(
      '--config <file>',
      'cluster config file (kind or podnet format) for -f; default: kind-like defaults',
      value,
    )
    .option(
      '--skip-invalid',
      'compute from the valid objects, reporting the invalid ones, instead of refusing',
    )
    .option('--kubeconfig <file>', 'read a live cluster (not supported yet)', value)
    .option('--context <name>', 'kubeconfig context, with --kubeconfig', value)
    .option('--lab <name>', `the lab to read (default: $PODNET_LAB, else "${DEFAULT_LAB}")`, value);
}

export function addScopeOptions(cmd: Command, formats: readonly string[]): Command {
  return cmd
    .option('-n, --namespace <ns>', `namespace (default "${DEFAULT_NAMESPACE}")`, value)
    .option('-A, --all-namespaces', 'every namespace')
    .option('-l, --selector <selector>', 'label selector, as kubectl: a=b, a!=b, a in (x,y), !a', value)
    .option('-o, --output <format>', `output format: ${formats.join('|')}`, value);
}

export function usageError(message: string): PodnetError {
  return new PodnetError('InvalidUsage', message);
}

/** `-l` as kubectl parses it; a syntax error is bad usage. */
export function parseLabelSelector(text: string): Selector {
  try {
    return parseSelector(text);
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw usageError(e.message);
    throw e;
  }
}

/** Rejects an `-o` value outside `formats`, in kubectl's words. */
export function checkOutputFormat(output: string | undefined, formats: readonly string[]): void {
  if (output !== undefined && !formats.includes(output)) {
    throw usageError(
      `unable to match a printer suitable for the output format ${JSON.stringify(output)}, allowed formats are: ${[...formats].sort().join(',')}`,
    );
  }
}

export function exitCodeFor(code: PodnetErrorCode): number {
  switch (code) {
    case 'LabNotRunning':
      return EXIT.labNotRunning;
    case 'NotFound':
      return EXIT.failed;
    default:
      return EXIT.usage;
  }
}

/** One line per diagnostic: `error: file:line: Kind ns/name: field: message` (or `warning:`). */
export function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIO): void {
  let text = '';
  for (const d of diagnostics) text += `${d.severity}: ${formatDiagnostic(d)}\n`;
  if (text) io.err(text);
}

/** A command's failure on stderr: its located diagnostics, else its message. */
export function printError(err: PodnetError, io: CliIO): void {
  if (err.diagnostics.length > 0) printDiagnostics(err.diagnostics, io);
  else io.err(`error: ${err.message}\n`);
}

/**
 * The cluster the flags name, computed. Diagnostics go to stderr as they come; an invalid input
 * (without --skip-invalid) is an error and nothing is returned, so nothing half-computed is
 * ever printed.
 */
export async function loadCluster(flags: SourceFlags, io: CliIO): Promise<ClusterSnapshot> {
  if (flags.kubeconfig !== undefined || flags.context !== undefined) {
    throw usageError(
      'reading a live cluster (--kubeconfig, --context) is not supported yet; read manifests with -f PATH',
    );
  }
  const paths = flags.filename ?? [];
  if (paths.length === 0) {
    const lab = flags.lab || io.env.PODNET_LAB || DEFAULT_LAB;
    throw new PodnetError(
      'LabNotRunning',
      `no lab ${JSON.stringify(lab)} is running (start one with podnet up, or read manifests with -f PATH)`,
    );
  }
  const config = flags.config !== undefined ? readClusterConfig(flags.config) : defaultClusterConfig();
  const skipInvalid = flags.skipInvalid === true;
  const snapshot = await new ManifestSource({ paths, stdin: io.stdin, config, skipInvalid }).load();
  printDiagnostics(snapshot.diagnostics, io);
  if (!snapshot.ok) {
    const errors = snapshot.diagnostics.filter((d) => d.severity === 'error').length;
    const what =
      errors > 0 ? `the input has ${errors} error${errors === 1 ? '' : 's'}` : 'the input is invalid';
    throw new PodnetError(
      'InvalidInput',
      `${what}; nothing was computed (--skip-invalid computes from the valid objects)`,
    );
  }
  return snapshot;
}
