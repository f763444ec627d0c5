#!/usr/bin/env node
// The `podnet` command line. Commands register themselves on one commander program; every
// failure ends as a message on stderr and an exit code from DESIGN.md (common.ts, EXIT).

import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { PodnetError } from '../api/errors.js';
import { type CliIO, EXIT, exitCodeFor, printError } from './common.js';
import { registerDiff } from './diff.js';
import { registerDNS } from './dns.js';
import { registerGet } from './get.js';
import { registerLint } from './lint.js';
import { registerReach } from './reach.js';
import { registerTest } from './test.js';
import { registerTrace } from './trace.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

function createProgram(io: CliIO): Command {
  const program = new Command('podnet')
    .description('The Kubernetes networking model: compute, explain and run a cluster network.')
    .version(version)
    // Commander reports its own usage errors (unknown option, missing argument) on stderr;
    // exitOverride turns its process.exit into an exception so main picks the exit code.
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)');
  registerGet(program, io);
  registerDNS(program, io);
  registerTrace(program, io);
  registerReach(program, io);
  registerDiff(program, io);
  registerTest(program, io);
  registerLint(program, io);
  return program;
}

/** Runs one command line; resolves to its exit code. */
async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const withCode: CliIO = { ...io, setExitCode: (c) => (code = c) };
  try {
    await createProgram(withCode).parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof PodnetError) {
      printError(err, io);
      return exitCodeFor(err.code);
    }
    io.err(`error: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.failed;
  }
}

const processIO: CliIO = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  stdin: process.stdin,
  env: process.env,
  now: () => Date.now(),
  setExitCode: (c) => (process.exitCode = c),
};

// Node writes to pipes asynchronously, so a printer streaming millions of rows (reach -o csv)
// would queue them all in memory when stdout is a pipe. Blocking writes keep memory flat, as
// they already are for files and terminals.
(
  process.stdout as unknown as { _handle?: { setBlocking?: (blocking: boolean) => void } }
)._handle?.setBlocking?.(true);

// A reader that stops early (`podnet get pods | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw err;
});

// Set the exit code rather than calling process.exit, so buffered output to a pipe is flushed.
process.exitCode = await run(process.argv.slice(2), processIO);
