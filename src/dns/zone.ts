// The cluster zone: every record the cluster DNS serves, computed from the objects (pure), and
// answered by lookup. The server and `podnet dns` only look up; they never walk the store.

import type { ResourceRecord, RRType, ZoneAnswer } from './types.js';

export interface ClusterZone {
  /** The cluster domain, fully qualified: `cluster.local.`. */
  readonly domain: string;
  /**
   * The answer to one question. `name` in any case, with or without the trailing dot; `type` a
   * record type or its wire code (unknown codes get NOERROR with no data for existing names).
   * Names outside the cluster domain and the reverse zones are not authoritative (REFUSED).
   */
  lookup(name: string, type: RRType | number): ZoneAnswer;
  /** Every record, in canonical order (for the master file). */
  records(): readonly ResourceRecord[];
}
