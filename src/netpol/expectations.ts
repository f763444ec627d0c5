// Expectations about connectivity, checked against a cluster (`podnet test EXPECT.yaml`): "the
// frontend pods reach the API on 8080", "nothing in shop-api reaches the frontend". The file
// format is documented in docs/expectations.md; this module holds its parsed form and the
// results. Parsing (expectations-parse.ts), selecting pods (expectations-select.ts) and checking
// (expectations-check.ts, checkExpectations) are separate steps, and each finishes for the whole
// file before the next begins: an invalid file is reported whole and nothing is half-checked.

import { formatSelector, type Selector } from '../api/labels.js';
import type { Protocol } from '../api/types.js';
import { formatIP, type IP, type IPFamily } from '../ip/index.js';
import type { Connection, Verdict } from './types.js';

export const EXPECTATIONS_API_VERSION = 'podnet.dev/v1alpha1';
export const EXPECTATIONS_KIND = 'Expectations';

/** One end of an expectation: pods (by namespace, name, labels), an address, or a node. */
export type PeerSpec =
  | {
      readonly kind: 'pods';
      /** Exactly one of namespace and namespaceSelector. */
      readonly namespace?: string;
      readonly namespaceSelector?: Selector;
      /** At most one of pod and selector; neither: every pod of the namespaces. */
      readonly pod?: string;
      readonly selector?: Selector;
    }
  | { readonly kind: 'ip'; readonly ip: IP }
  | { readonly kind: 'node'; readonly name: string };

/** A port to check: a number, or a port name resolved on each destination pod. */
export type ExpectedPort =
  | { readonly port: number; readonly protocol: Protocol }
  | { readonly name: string; readonly protocol?: Protocol };

/** Where an expectation is written, for errors found later against the cluster. */
export interface ExpectationOrigin {
  readonly file: string;
  /** The line of the expectation's entry. */
  readonly line: number;
  /** The line of a field below the entry (`['to', 'port']`). */
  lineOf(path: readonly (string | number)[]): number;
  /** `expectations[2]`. */
  readonly field: string;
}

export interface Expectation {
  readonly name: string;
  readonly from: PeerSpec;
  readonly to: PeerSpec;
  readonly ports: readonly ExpectedPort[];
  /** true: every connection is allowed; false: every one is denied. */
  readonly allowed: boolean;
  /** An end that selects no pod is an error unless this is set. */
  readonly allowEmpty: boolean;
  /** The address family of a dual-stack cluster; absent: each pod's primary address. */
  readonly family?: IPFamily;
  readonly origin: ExpectationOrigin;
}

/** Violations decided alike (the same rules at both ends), with a few of their connections. */
export interface ViolationGroup {
  /** How many connections of the expectation violate it this way. */
  readonly count: number;
  /** The first such connection and its verdict: the others were decided alike. */
  readonly connection: Connection;
  readonly verdict: Verdict;
  /** The first few connections, as `podnet trace` takes them: `ns/pod`, `node/NAME`, an IP. */
  readonly examples: readonly { readonly from: string; readonly to: string; readonly port: string }[];
}

export interface ExpectationResult {
  readonly expectation: Expectation;
  readonly passed: boolean;
  /** The ports checked, resolved (`8080/TCP`); a named port may resolve to several numbers. */
  readonly ports: readonly string[];
  /** Connections checked: ordered pairs of distinct ends, times ports. */
  readonly connections: number;
  readonly violations: number;
  readonly groups: readonly ViolationGroup[];
  /** Violations beyond the explanation limit, counted but not grouped. */
  readonly unexplained: number;
  /** Selected pods that take part in no connection: no address of the family yet. */
  readonly skipped: readonly string[];
}

function selectorText(s: Selector | undefined): string {
  return s && s.requirements.length > 0 ? formatSelector(s) : '*';
}

/** An end as an unnamed expectation is called: `shop-web/(app=frontend)`, `node/NAME`, an IP. */
export function describePeer(peer: PeerSpec): string {
  switch (peer.kind) {
    case 'ip':
      return formatIP(peer.ip);
    case 'node':
      return `node/${peer.name}`;
    case 'pods': {
      const ns = peer.namespace ?? `namespaces(${selectorText(peer.namespaceSelector)})`;
      if (peer.pod !== undefined) return `${ns}/${peer.pod}`;
      return peer.selector ? `${ns}/(${selectorText(peer.selector)})` : `${ns}/*`;
    }
  }
}
