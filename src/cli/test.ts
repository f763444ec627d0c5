// `podnet test EXPECT.yaml`: expectations about connectivity (docs/expectations.md) checked
// against any source, for CI pipelines. Exit 0 when every expectation holds, 1 on any violation,
// 2 when the file (or its fit to the cluster) is invalid: then nothing is checked at all.

import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Diagnostic } from '../api/errors.js';
import { MAX_MANIFEST_BYTES } from '../api/manifests.js';
import { checkExpectations } from '../netpol/expectations-check.js';
import { parseExpectations } from '../netpol/expectations-parse.js';
import { compilePolicyModel } from '../netpol/model.js';
import {
  addSourceOptions,
  type CliIO,
  checkOutputFormat,
  EXIT,
  loadCluster,
  printDiagnostics,
  type SourceFlags,
  usageError,
} from './common.js';
import { printResultsJSON, printResultsText, printResultsYAML } from './printers/expectations.js';

const FORMATS = ['json', 'yaml'] as const;

export interface TestFlags extends SourceFlags {
  output?: string;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_MANIFEST_BYTES)
      throw usageError(`the expectations on stdin are larger than ${MAX_MANIFEST_BYTES / 2 ** 20} MiB`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** The file's text: UTF-8 (stdin for `-`), within the manifest size limit. */
async function readExpectations(path: string, flags: TestFlags, io: CliIO): Promise<string> {
  let bytes: Buffer;
  if (path === '-') {
    if (flags.filename?.includes('-'))
      throw usageError('stdin cannot hold both the expectations (-) and the manifests (-f -)');
    bytes = await readStream(io.stdin);
  } else {
    const unreadable = (e: Error) => usageError(`cannot read ${JSON.stringify(path)}: ${e.message}`);
    const { size } = await stat(path).catch((e: Error) => {
      throw unreadable(e);
    });
    if (size > MAX_MANIFEST_BYTES)
      throw usageError(
        `${path} is ${Math.ceil(size / 2 ** 20)} MiB, larger than the limit of ${MAX_MANIFEST_BYTES / 2 ** 20} MiB`,
      );
    bytes = await readFile(path).catch((e: Error) => {
      throw unreadable(e);
    });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw usageError(`${path === '-' ? 'stdin' : path}: not a text file (invalid UTF-8)`);
  }
}

function refuse(diagnostics: readonly Diagnostic[], what: string, io: CliIO): number {
  printDiagnostics(diagnostics, io);
  const n = diagnostics.length;
  io.err(`error: ${what} has ${n} error${n === 1 ? '' : 's'}; nothing was checked\n`);
  return EXIT.usage;
}

/** Runs `test EXPECT.yaml`; returns the exit code. */
export async function runTest(args: readonly string[], flags: TestFlags, io: CliIO): Promise<number> {
  if (args.length !== 1)
    throw usageError('podnet test takes one expectations file: podnet test EXPECT.yaml -f PATH');
  checkOutputFormat(flags.output, FORMATS);
  const [path] = args;
  const shown = path === '-' ? 'stdin' : path;
  // The whole file is parsed and validated before the cluster is even read.
  const parsed = parseExpectations(await readExpectations(path, flags, io), shown);
  if (parsed.diagnostics.length > 0) return refuse(parsed.diagnostics, shown, io);

  const { store } = await loadCluster(flags, io);
  const outcome = checkExpectations(compilePolicyModel(store), parsed.expectations);
  if (!outcome.ok) return refuse(outcome.diagnostics, shown, io);
  const { results } = outcome;
  const print =
    flags.output === 'json'
      ? printResultsJSON
      : flags.output === 'yaml'
        ? printResultsYAML
        : printResultsText;
  io.out(print(results));
  return results.every((r) => r.passed) ? EXIT.ok : EXIT.failed;
}

export function registerTest(program: Command, io: CliIO): void {
  const cmd = program
    .command('test')
    .summary('check expectations about connectivity (for CI): exit 1 on any violation')
    .description(
      'Check a file of expectations ("the frontend pods reach the API on 8080", "the worker cannot reach ' +
        'postgres") against the source. Every violation is explained with the policies ' +
        'and rules that decided it. The format is in docs/expectations.md.',
    )
    .argument('[EXPECT]', 'the expectations file (YAML or JSON), or - for stdin');
  addSourceOptions(cmd);
  cmd
    .option('-o, --output <format>', `output format: ${FORMATS.join('|')} (default: PASS/FAIL lines)`)
    .addHelpText(
      'after',
      `
Exit codes: 0 every expectation holds, 1 a violation, 2 an invalid file or usage.

Example file:
  apiVersion: podnet.dev/v1alpha1
  kind: Expectations
  expectations:
  - name: the storefront reaches the API
    from: {namespace: shop-web, selector: app=frontend}
    to: {namespace: shop-api, selector: app=api}
    port: http
    allowed: true

Examples:
  podnet test examples/expectations/shop.yaml -f examples/shop
  podnet test expect.yaml -f manifests/ -o json`,
    )
    .action(async (path: string | undefined, flags: TestFlags) => {
      io.setExitCode(await runTest(path === undefined ? [] : [path], flags, io));
    });
}
