// One source interface: commands read a computed cluster from a Source and never know whether
// it came from manifests, a lab or a live cluster.

import type { ClusterSnapshot } from '../cluster/build.js';

export interface Source {
  /** How to name this source in messages (`manifests in ./shop`, `lab podnet`). */
  readonly description: string;
  load(): Promise<ClusterSnapshot>;
}
