// `podnet dns NAME [TYPE] [--from NS/POD]`: a question answered as the cluster DNS answers it,
// printed like dig; with --from, the pod's resolv.conf drives glibc's search-path expansion
// (src/dns/resolver.ts) and the output lists every name tried. `podnet dns zone` prints the zone
// as a master file; `podnet dns serve` serves it over UDP and TCP until interrupted.

import type { Command } from 'commander';
import type { ClusterConfig } from '../api/cluster-config.js';
import { clusterDNSAddresses, resolvConf } from '../controllers/kubelet/pod-network.js';
import { renderMasterFile, zoneOrigins } from '../dns/master-file.js';
import { encodable, type Resolution, resolve } from '../dns/resolver.js';
import { type ListenAddress, startDNSServer } from '../dns/server.js';
import { RR_TYPE_CODES, type RRType } from '../dns/types.js';
import { computeZone } from '../dns/zone-compute.js';
import { type IP, parseIP } from '../ip/index.js';
import type { Store } from '../store/store.js';
import {
  addSourceOptions,
  type CliIO,
  checkOutputFormat,
  EXIT,
  loadCluster,
  type SourceFlags,
  usageError,
} from './common.js';
import { type DNSAsker, printAnswerJSON, printAnswerText } from './printers/dns-answer.js';

const FORMATS = ['json'] as const;

export interface DNSFlags extends SourceFlags {
  output?: string;
  from?: string;
}

/**
 * Type mnemonics (IANA "Resource Record (RR) TYPEs"), so any type can be asked by name; the
 * zone answers the ones it serves and NOERROR without data for the others.
 */
const TYPE_CODES: Readonly<Record<string, number>> = {
  ...RR_TYPE_CODES,
  HINFO: 13,
  MX: 15,
  RP: 17,
  AFSDB: 18,
  LOC: 29,
  NAPTR: 35,
  CERT: 37,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  SSHFP: 44,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  CDS: 59,
  CDNSKEY: 60,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  URI: 256,
  CAA: 257,
};
const TYPE_NAMES = new Map(Object.entries(TYPE_CODES).map(([name, code]) => [code, name]));
/** Meta types that are not questions about a name (RFC 6895 §3.1). */
const NOT_QUESTIONS: Readonly<Record<number, string>> = {
  41: 'OPT is the EDNS pseudo-record, not a question',
  251: 'IXFR is a zone transfer, not a lookup; podnet dns zone prints the zone',
  252: 'AXFR is a zone transfer, not a lookup; podnet dns zone prints the zone',
};

export interface QueryType {
  /** The mnemonic, or `TYPEn` (RFC 3597) for a code without one. */
  readonly name: string;
  /** What the zone is asked: the record type it serves, else the wire code. */
  readonly lookup: RRType | number;
}

/** TYPE as dig takes it: a mnemonic in any case, `TYPEn`, or a number from 0 to 65535. */
export function parseQueryType(text: string): QueryType {
  const upper = text.toUpperCase();
  const numeric = /^(?:TYPE)?(\d{1,5})$/.exec(upper);
  const code = numeric ? Number(numeric[1]) : TYPE_CODES[upper];
  if (code === undefined || code > 0xffff) {
    throw usageError(
      `invalid record type ${JSON.stringify(text)}: give a type name (A, AAAA, SRV, PTR, TXT, MX, ...), TYPEn or a number from 0 to 65535`,
    );
  }
  if (NOT_QUESTIONS[code])
    throw usageError(`invalid record type ${JSON.stringify(text)}: ${NOT_QUESTIONS[code]}`);
  const name = TYPE_NAMES.get(code) ?? `TYPE${code}`;
  return { name, lookup: name in RR_TYPE_CODES ? (name as RRType) : code };
}

/**
 * NAME as a DNS name in text (RFC 1035 §2.3.1, with `_` for SRV labels and `*`): labels of 1 to
 * 63 letters, digits, `-`, `_` or `*`, 253 characters in all; `.` alone is the root.
 */
export function checkName(name: string): void {
  const bad = (why: string) => usageError(`invalid name ${JSON.stringify(name)}: ${why}`);
  if (name === '') throw bad('empty');
  if (name === '.') return;
  const labels = (name.endsWith('.') ? name.slice(0, -1) : name).split('.');
  for (const label of labels) {
    if (label === '') throw bad('empty label (two dots in a row, or a leading dot)');
    if (label.length > 63) throw bad(`label ${JSON.stringify(label)} is longer than 63 characters`);
    if (!/^[A-Za-z0-9_*-]+$/.test(label)) {
      throw bad(`label ${JSON.stringify(label)} may contain only letters, digits, '-', '_' and '*'`);
    }
  }
  if (!encodable(name.endsWith('.') ? name : `${name}.`)) throw bad('longer than 253 characters');
}

function findPod(store: Store, config: ClusterConfig, from: string): DNSAsker {
  const parts = from.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw usageError(`--from takes NS/POD, a pod and its namespace; got ${JSON.stringify(from)}`);
  }
  const pod = store.get('Pod', parts[0], parts[1]);
  if (!pod)
    throw usageError(`pod ${JSON.stringify(from)} not found (--from NS/POD names a pod of the input)`);
  const clusterDNS = clusterDNSAddresses(store, config);
  const resolv = resolvConf(pod, config, { clusterDNS });
  // glibc asks the first nameserver (127.0.0.1 when there is none); the others only when it fails.
  const first = resolv.nameservers[0] ?? '127.0.0.1';
  if (clusterDNS.includes(first)) return { pod: from, resolv };
  const via =
    resolv.base === 'host'
      ? `the node's resolver (${first})`
      : resolv.nameservers.length > 0
        ? `${first} (spec.dnsConfig.nameservers)`
        : '127.0.0.1 (no nameserver: glibc asks the local host)';
  const policy = pod.spec.hostNetwork
    ? `hostNetwork, dnsPolicy ${pod.spec.dnsPolicy ?? 'ClusterFirst'}`
    : `dnsPolicy ${pod.spec.dnsPolicy}`;
  return {
    pod: from,
    resolv,
    elsewhere: `pod ${from} (${policy}) sends its queries to ${via}, not to the cluster DNS (${clusterDNS.join(', ')}); shown is what the cluster DNS would answer`,
  };
}

/** Runs `dns NAME [TYPE]`; returns the exit code. */
export async function runDNS(args: readonly string[], flags: DNSFlags, io: CliIO): Promise<number> {
  const [name, typeText] = args;
  if (name === undefined)
    throw usageError('give a NAME to look up: podnet dns NAME [TYPE] [--from NS/POD] -f PATH');
  if (args.length > 2)
    throw usageError(
      `too many arguments: ${JSON.stringify(args.slice(2).join(' '))}; podnet dns NAME [TYPE]`,
    );
  checkName(name);
  const type = parseQueryType(typeText ?? 'A');
  checkOutputFormat(flags.output, FORMATS);

  const { store, config } = await loadCluster(flags, io);
  const zone = computeZone(store, config);
  const lookup = zone.lookup.bind(zone);
  const clusterDNS = clusterDNSAddresses(store, config).join(', ');
  let r: Resolution;
  let asker: DNSAsker | undefined;
  let server = `${clusterDNS} (the cluster DNS, computed from the input)`;
  if (flags.from === undefined) {
    // As dig without +search: NAME is absolute, relative to the root.
    r = resolve(name.endsWith('.') ? name : `${name}.`, type.lookup, { searches: [], options: [] }, lookup);
  } else {
    asker = findPod(store, config, flags.from);
    r = resolve(name, type.lookup, asker.resolv, lookup);
    if (asker.elsewhere) {
      io.err(`warning: ${asker.elsewhere}\n`);
      server = `not the cluster DNS: ${asker.elsewhere}`;
    }
  }

  const command = [
    name,
    ...(typeText === undefined ? [] : [typeText]),
    ...(flags.from === undefined ? [] : ['--from', flags.from]),
  ].join(' ');
  const { answer } = r.result;
  if (answer === undefined) {
    // glibc gave up without asking anyone (res_mkquery failed): there is no DNS answer to show.
    if (flags.output !== 'json') io.out(printAnswerText(r, type.name, command, asker, server));
    io.err(
      `error: ${r.result.name} is longer than a domain name may be; the resolver fails without sending a query (NO_RECOVERY)\n`,
    );
    return EXIT.failed;
  }
  io.out(
    flags.output === 'json'
      ? printAnswerJSON(r, type.name, answer)
      : printAnswerText(r, type.name, command, asker, server),
  );
  return EXIT.ok;
}

/** Runs `dns zone [ORIGIN]`: the master file of the cluster zone, or of another zone it serves. */
export async function runZone(args: readonly string[], flags: SourceFlags, io: CliIO): Promise<number> {
  if (args.length > 1) throw usageError(`too many arguments: podnet dns zone [ORIGIN]`);
  const { store, config } = await loadCluster(flags, io);
  const zone = computeZone(store, config);
  const records = zone.records();
  const origins = zoneOrigins(records);
  const asked = args[0] ?? zone.domain;
  const origin = (asked.endsWith('.') ? asked : `${asked}.`).toLowerCase();
  if (!origins.includes(origin)) {
    throw usageError(
      `the cluster DNS has no zone ${JSON.stringify(asked)}; its zones are: ${origins.join(', ')}`,
    );
  }
  io.out(renderMasterFile(records, origin));
  return EXIT.ok;
}

/** `HOST:PORT`, `[IPV6]:PORT`: an address literal and a port, as the server binds them. */
export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const address = m ? (m[1] ?? m[2]) : '';
  const ip = parseIP(address);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || !ip || (m[1] !== undefined) !== (ip.family === 'IPv6') || port > 65535) {
    throw usageError(
      `invalid --listen ${JSON.stringify(text)}: give ADDRESS:PORT, with an IPv6 address in brackets ([::1]:5353) and a port from 0 to 65535`,
    );
  }
  return { address, port };
}

/**
 * `--upstream IP[:PORT]`: an IPv4 address with an optional port, an IPv6 address bare or in
 * brackets (`[IPV6]:PORT` with a port), port 53 when none is given, as CoreDNS reads `forward` TO.
 */
export function parseUpstream(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\](?::(\d{1,5}))?|([^:[\]]+)(?::(\d{1,5}))?|([^[\]]*:[^[\]]*))$/.exec(text);
  const address = m ? (m[1] ?? m[3] ?? m[5]) : '';
  const ip = parseIP(address);
  const port = Number(m?.[2] ?? m?.[4] ?? 53);
  const bracketed = m?.[1] !== undefined;
  if (!m || !ip || (ip.family === 'IPv6') !== (bracketed || m[5] !== undefined) || port < 1 || port > 65535) {
    throw usageError(
      `invalid --upstream ${JSON.stringify(text)}: give IP or IP:PORT, with an IPv6 address bare or in brackets ([fd00::1]:53) and a port from 1 to 65535 (default 53)`,
    );
  }
  return { address, port };
}

/** A warning for each address other hosts may reach: anything but 127.0.0.0/8 and ::1. */
export function exposureWarnings(listen: readonly ListenAddress[]): string[] {
  const loopback = (ip: IP) => (ip.family === 'IPv4' ? ip.value >> 24n === 127n : ip.value === 1n);
  return listen
    .filter((l) => !loopback(parseIP(l.address) as IP))
    .map(
      (l) => `listening on ${showAddress(l)}: other hosts that reach this address can query the cluster zone`,
    );
}

function showAddress(a: { address: string; port: number }): string {
  return a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

interface ServeFlags extends SourceFlags {
  listen?: string[];
  upstream?: string[];
}

/** Runs `dns serve` until `stop` settles; returns the exit code. */
export async function runServe(flags: ServeFlags, io: CliIO, stop: Promise<unknown>): Promise<number> {
  const listen = (flags.listen ?? [DEFAULT_LISTEN]).map(parseListen);
  const upstreams = (flags.upstream ?? []).map(parseUpstream);
  const { store, config } = await loadCluster(flags, io);
  const zone = computeZone(store, config);
  for (const w of exposureWarnings(listen)) io.err(`warning: ${w}\n`);
  const server = await startDNSServer({
    zone: () => zone,
    listen,
    upstreams,
    onError: (e) => io.err(`warning: dns server: ${e instanceof Error ? e.message : String(e)}\n`),
  }).catch((e: NodeJS.ErrnoException & { address?: string; port?: number }) => {
    // EADDRINUSE, EACCES (a port below 1024 without the privilege), EADDRNOTAVAIL: say which.
    if (e.syscall === undefined) throw e;
    const where = e.address === undefined ? '' : ` ${showAddress({ address: e.address, port: e.port ?? 0 })}`;
    throw usageError(`cannot listen on${where}: ${e.code ?? e.message}`);
  });
  const bound = server.addresses.map(showAddress).join(', ');
  const others =
    upstreams.length > 0
      ? `forwarding other names to ${upstreams.map(showAddress).join(', ')}`
      : 'other names REFUSED';
  io.err(
    `serving ${zone.domain} (${zone.records().length} records) on ${bound} (UDP and TCP), ${others}; stop with Ctrl-C\n`,
  );
  await stop;
  await server.close();
  return EXIT.ok;
}

const DEFAULT_LISTEN = '127.0.0.1:5353';

export function registerDNS(program: Command, io: CliIO): void {
  const dns = program
    .command('dns')
    .summary('answer a DNS query as the cluster DNS would; print or serve the zone')
    .description(
      'Answer a question as the cluster DNS (CoreDNS) would answer it, printed like dig. NAME is ' +
        "absolute, as dig takes it, unless --from NS/POD: then the pod's resolv.conf (search list, " +
        'ndots) expands it as the glibc resolver does, and every name tried is listed.',
    )
    .argument('[NAME]', 'the name to look up')
    .argument(
      '[TYPE]',
      'record type: A (default), AAAA, SRV, PTR, TXT, CNAME, SOA, NS, any other name, TYPEn or a number',
    );
  addSourceOptions(dns);
  dns
    .option('--from <NS/POD>', "expand NAME with this pod's resolv.conf search list, as its resolver would")
    .option('-o, --output <format>', `output format: ${FORMATS.join('|')} (default: dig-like text)`)
    .addHelpText(
      'after',
      `
A NAME spelt zone or serve must be given with its trailing dot (zone.).

Examples:
  podnet dns my-nginx --from default/POD -f examples/connect-apps
  podnet dns my-nginx.default.svc.cluster.local -f examples/connect-apps
  podnet dns _http._tcp.frontend.shop-web.svc.cluster.local SRV -o json -f examples/shop
  podnet dns zone -f examples/shop
  podnet dns serve --listen 127.0.0.1:5353 -f examples/shop
  podnet dns serve --listen 127.0.0.1:5353 --upstream 192.0.2.53 -f examples/shop`,
    )
    .action(async (name: string | undefined, type: string | undefined, flags: DNSFlags) => {
      const args = [name, type].filter((a) => a !== undefined);
      io.setExitCode(await runDNS(args, flags, io));
    });

  // The source flags (-f, --config, ...) are options of `dns` itself, so they may come before or
  // after `zone` and `serve` (commander gives a parent's options to the parent wherever they
  // stand); the subcommands read them with optsWithGlobals.
  const subcommandFlags = (cmd: Command): DNSFlags => {
    const flags = cmd.optsWithGlobals<DNSFlags>();
    for (const [flag, value] of [
      ['--from', flags.from],
      ['-o', flags.output],
    ] as const) {
      if (value !== undefined)
        throw usageError(`${flag} is for podnet dns NAME, not podnet dns ${cmd.name()}`);
    }
    return flags;
  };

  dns
    .command('zone')
    .description('Print the cluster zone (or ORIGIN: in-addr.arpa, ip6.arpa) as an RFC 1035 master file.')
    .argument('[ORIGIN]', 'the zone to print (default: the cluster domain)')
    .configureHelp({ showGlobalOptions: true })
    .action(async (origin: string | undefined, _flags: unknown, cmd: Command) => {
      io.setExitCode(await runZone(origin === undefined ? [] : [origin], subcommandFlags(cmd), io));
    });

  dns
    .command('serve')
    .description('Serve the cluster zone over UDP and TCP until interrupted (SIGINT, SIGTERM).')
    .option(
      '--listen <address:port>',
      `listen address, repeatable; IPv6 in brackets ([::1]:5353); port 0 picks one (default ${DEFAULT_LISTEN})`,
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--upstream <ip[:port]>',
      'forward names outside the cluster zones to this DNS server, repeatable (port 53 by default); without it they are REFUSED',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .configureHelp({ showGlobalOptions: true })
    .action(async (_flags: unknown, cmd: Command) => {
      const stop = new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      io.setExitCode(await runServe(subcommandFlags(cmd) as ServeFlags, io, stop));
    });
}
