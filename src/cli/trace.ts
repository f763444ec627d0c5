// `podnet trace FROM TO`: one connection through the layers that decide it, hop by hop, with the
// policies and rules that allowed or denied it. The trace itself is pure (src/trace/); this file
// parses the arguments, loads the source and prints.

import type { Command } from 'commander';
import { PodnetError } from '../api/errors.js';
import { type IP, parseIP } from '../ip/index.js';
import { compilePolicyModel } from '../netpol/model.js';
import { resolveQuery } from '../trace/resolve.js';
import { parseDestination, parseSource } from '../trace/target.js';
import { traceConnection } from '../trace/trace.js';
import {
  addSourceOptions,
  type CliIO,
  checkOutputFormat,
  EXIT,
  loadCluster,
  type SourceFlags,
  usageError,
} from './common.js';
import { printTraceJSON, printTraceText, printTraceYAML } from './printers/trace.js';
import { parseFamily } from './reach.js';

const FORMATS = ['json', 'yaml'] as const;

export interface TraceFlags extends SourceFlags {
  output?: string;
  fromIp?: string;
  family?: string;
}

function parseFromIP(text: string | undefined): IP | undefined {
  if (text === undefined) return undefined;
  const ip = parseIP(text);
  if (!ip) throw usageError(`invalid --from-ip ${JSON.stringify(text)}: give an IPv4 or IPv6 address`);
  return ip;
}

/** Runs `trace FROM TO`; returns the exit code (0 whatever the verdict: a trace is an answer). */
export async function runTrace(args: readonly string[], flags: TraceFlags, io: CliIO): Promise<number> {
  if (args.length !== 2) {
    throw usageError(
      `podnet trace takes FROM and TO, got ${args.length} argument${args.length === 1 ? '' : 's'}: podnet trace NS/POD NS/POD:PORT -f PATH`,
    );
  }
  // Everything about the arguments is checked before the source is read.
  const [fromText, toText] = args;
  const source = parseSource(fromText);
  const destination = parseDestination(toText);
  const fromIP = parseFromIP(flags.fromIp);
  checkOutputFormat(flags.output, FORMATS);

  const { store, config } = await loadCluster(flags, io);
  const family = parseFamily(flags.family, config.ipFamilies);
  const model = compilePolicyModel(store);
  let query: ReturnType<typeof resolveQuery>;
  try {
    query = resolveQuery(model, config, source, destination, { family, fromIP });
  } catch (e) {
    // Missing objects read as kubectl reports them (as `podnet get` does), without a prefix.
    if (e instanceof PodnetError && e.code === 'NotFound' && e.message.startsWith('Error from server')) {
      io.err(`${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  }
  const trace = traceConnection(model, query.from, query.to);
  io.out(
    flags.output === 'json'
      ? printTraceJSON(trace)
      : flags.output === 'yaml'
        ? printTraceYAML(trace)
        : printTraceText(trace),
  );
  return EXIT.ok;
}

export function registerTrace(program: Command, io: CliIO): void {
  const cmd = program
    .command('trace')
    .summary('trace one connection hop by hop: which policies allow or deny it, and why')
    .description(
      'Trace a connection from FROM to TO through the NetworkPolicy layers (the Admin tier, ' +
        'NetworkPolicies, the Baseline tier) at both ends, naming the policies, rules, peers and ports ' +
        'that decided, and what declares the port where it arrives.',
    )
    .argument('[FROM]', 'NS/POD, node/NAME, or external (an outside client; see --from-ip)')
    .argument(
      '[TO]',
      'NS/POD[:PORT[/PROTO]], node/NAME:PORT[/PROTO], IP:PORT[/PROTO] or [IPv6]:PORT[/PROTO]',
    );
  addSourceOptions(cmd);
  cmd
    .option('--from-ip <ip>', 'the address of FROM external (default 203.0.113.10, or 2001:db8::10 for IPv6)')
    .option(
      '--family <family>',
      "address family of a dual-stack cluster: IPv4 or IPv6 (default: the destination's primary address)",
    )
    .option('-o, --output <format>', `output format: ${FORMATS.join('|')} (default: hop by hop in words)`)
    .addHelpText(
      'after',
      `
PORT is a number or a port name of the destination pod; PROTO is TCP (default), UDP or SCTP. A pod
that declares exactly one port needs no PORT. Services, DNS names and URLs are not traced yet.
Exit codes: 0 a trace (delivered or denied), 1 a pod, node or namespace not found or without an
address, 2 bad usage.

Examples:
  podnet trace shop-web/debug shop-api/api-5cd8464b9-47bbx:http -f examples/shop
  podnet trace shop-api/worker-c4f544784-dv27c shop-data/postgres-0:5432 -f examples/shop
  podnet trace external shop-web/frontend-7d656b6974-kstsn:8080 --from-ip 198.51.100.7 -f examples/shop
  podnet trace node/podnet-worker 10.244.2.4:5432 -o json -f examples/shop`,
    )
    .action(async (from: string | undefined, to: string | undefined, flags: TraceFlags) => {
      const args = [from, to].filter((a) => a !== undefined);
      io.setExitCode(await runTrace(args, flags, io));
    });
}
