// `podnet trace FROM TO`: one connection through every layer that decides it, hop by hop — the
// name lookup, the ingress controller's routing, the Service or hostPort translation, the
// policies at both ends, the delivery. The trace itself is pure (src/trace/); this file parses
// the arguments, loads the source and prints.

import type { Command } from 'commander';
import { PodnetError } from '../api/errors.js';
import { type IP, parseIP } from '../ip/index.js';
import { TraceContext } from '../trace/context.js';
import { parseDestination, parseSource } from '../trace/target.js';
import { trace } from '../trace/trace.js';
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
  ingressClass?: string;
  viaNode?: string;
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
  const from = parseSource(fromText);
  const to = parseDestination(toText);
  const fromIP = parseFromIP(flags.fromIp);
  checkOutputFormat(flags.output, FORMATS);

  const { store, config } = await loadCluster(flags, io);
  const family = parseFamily(flags.family, config.ipFamilies);
  const ctx = new TraceContext(store, config, {
    ingressClass: flags.ingressClass,
    ...(flags.viaNode !== undefined ? { viaNode: flags.viaNode } : {}),
  });
  let answer: ReturnType<typeof trace>;
  try {
    answer = trace(ctx, { from, to, family, fromIP });
  } catch (e) {
    // Missing objects read as kubectl reports them (as `podnet get` does), without a prefix.
    if (e instanceof PodnetError && e.code === 'NotFound' && e.message.startsWith('Error from server')) {
      io.err(`${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  }
  io.out(
    flags.output === 'json'
      ? printTraceJSON(answer)
      : flags.output === 'yaml'
        ? printTraceYAML(answer)
        : printTraceText(answer),
  );
  return EXIT.ok;
}

export function registerTrace(program: Command, io: CliIO): void {
  const cmd = program
    .command('trace')
    .summary('trace one connection hop by hop: DNS, Ingress, Services, policies, delivery, and why')
    .description(
      'Trace a connection from FROM to TO through every layer that decides it: the DNS lookup ' +
        "with the source pod's search path, the ingress controller's routing of a URL, the Service " +
        "frontend and kube-proxy's endpoint choice with its NAT, hostPorts, the NetworkPolicy layers " +
        '(the Admin tier, NetworkPolicies, the Baseline tier) at both ends, and what declares the ' +
        'port where it arrives.',
    )
    .argument('[FROM]', 'NS/POD, node/NAME, or external (an outside client; see --from-ip)')
    .argument(
      '[TO]',
      'NS/POD[:PORT[/PROTO]], node/NAME:PORT, IP:PORT[/PROTO], svc/NS/NAME[:PORT], NAME:PORT or http(s)://HOST[:PORT]/PATH',
    );
  addSourceOptions(cmd);
  cmd
    .option('--from-ip <ip>', 'the address of FROM external (default 203.0.113.10, or 2001:db8::10 for IPv6)')
    .option(
      '--family <family>',
      "address family of a dual-stack cluster: IPv4 or IPv6 (default: the destination's, else the cluster's primary)",
    )
    .option(
      '--ingress-class <name>',
      "play this IngressClass's controller (default: the default IngressClass's)",
    )
    .option(
      '--via-node <name>',
      'with FROM external: the node the packet arrives at for a NodePort, load-balancer or external IP (default: a node with a local endpoint under externalTrafficPolicy Local, else the first)',
    )
    .option('-o, --output <format>', `output format: ${FORMATS.join('|')} (default: hop by hop in words)`)
    .addHelpText(
      'after',
      `
PORT is a number or a port name (of the destination pod, or of the Service for svc/); PROTO is
TCP (default), UDP or SCTP. A pod that declares one port, or a Service with one port, needs no
PORT. A DNS name is looked up with the source pod's search path (a node or an outside client asks
for it as an absolute name). From external, a URL whose host is a name goes to the ingress
controller and is routed by the Ingress rules for that host.
From external, only node addresses, load-balancer addresses, external IPs and the ingress are
reachable: pod IPs and cluster IPs are no-route, and so is an address that is not the cluster's.
Exit codes:
  0  a trace was printed, whatever its verdict (denied is an answer)
  1  not found: a pod, Service, namespace or node (--via-node too) does not exist, a pod has no
     address, or no pod holds an address of the pod network
  2  usage: a malformed FROM or TO (bad port, protocol, address, name or URL; svc/ without
     NS/NAME), a port name the pod or Service lacks, PORT missing where several exist,
     --via-node without FROM external
  3  no -f and no lab running

Examples:
  podnet trace default/my-nginx-65cbd9b9c6-7nnkg my-nginx:80 -f examples/connect-apps
  podnet trace shop-web/debug svc/shop-api/api:http -f examples/shop
  podnet trace external https://shop.example.com/api -f examples/shop
  podnet trace external 172.18.0.2:30432 --from-ip 198.51.100.7 -f examples/shop
  podnet trace shop-api/worker-c4f544784-dv27c shop-data/postgres-0:5432 -o json -f examples/shop`,
    )
    .action(async (from: string | undefined, to: string | undefined, flags: TraceFlags) => {
      const args = [from, to].filter((a) => a !== undefined);
      io.setExitCode(await runTrace(args, flags, io));
    });
}
