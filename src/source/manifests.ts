// Manifests as a source: read the files (-f), then build the cluster they describe.

import type { ClusterConfig } from '../api/cluster-config.js';
import { readManifests } from '../api/manifests.js';
import { buildCluster, type ClusterSnapshot } from '../cluster/build.js';
import { Store } from '../store/store.js';
import type { Source } from './source.js';

export interface ManifestSourceOptions {
  /** `-f` arguments: files, directories, or `-` for stdin. */
  paths: string[];
  stdin?: NodeJS.ReadableStream;
  config: ClusterConfig;
  /** Compute from the valid objects only, reporting the rest, instead of refusing. */
  skipInvalid?: boolean;
}

export class ManifestSource implements Source {
  readonly description: string;

  constructor(private readonly options: ManifestSourceOptions) {
    const shown = options.paths.map((p) => (p === '-' ? 'stdin' : p));
    this.description = `manifests in ${shown.join(', ')}`;
  }

  async load(): Promise<ClusterSnapshot> {
    const { paths, stdin, config, skipInvalid } = this.options;
    const read = await readManifests(paths, stdin);
    const readFailed = read.diagnostics.some((d) => d.severity === 'error');
    // Nothing half-applied: unreadable input stops here unless the user asked to skip it.
    if (readFailed && !skipInvalid) {
      return { store: new Store(), config, diagnostics: read.diagnostics, ok: false };
    }
    const built = buildCluster(read.objects, { config, skipInvalid });
    return { ...built, diagnostics: [...read.diagnostics, ...built.diagnostics] };
  }
}
