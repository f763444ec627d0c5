// Builders and assertions shared by the admission tests: minimal valid objects of each kind,
// and helpers that admit an object and return the messages a user would read.

import assert from 'node:assert/strict';
import { type Admission, admit } from '../../src/api/admission.js';
import { type ClusterConfig, defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { KubeObject } from '../../src/api/types.js';

export const config: ClusterConfig = defaultClusterConfig();

type Json = Record<string, unknown>;

export const meta = (name: string, extra: Json = {}): Json => ({ name, ...extra });

export function service(spec: Json, metadata: Json = meta('web')): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata, spec } as unknown as KubeObject;
}

export function pod(spec: Json, metadata: Json = meta('p')): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec } as unknown as KubeObject;
}

export const container = (extra: Json = {}): Json => ({ name: 'app', image: 'nginx:1.27', ...extra });

export function deployment(spec: Json, metadata: Json = meta('web')): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec } as unknown as KubeObject;
}

export function object(
  apiVersion: string,
  kind: string,
  fields: Json,
  metadata: Json = meta('x'),
): KubeObject {
  return { apiVersion, kind, metadata, ...fields } as unknown as KubeObject;
}

export function admitted(obj: KubeObject, cfg: ClusterConfig = config): Admission {
  return admit(obj, cfg);
}

/** Every error message of admitting obj. */
export function errors(obj: KubeObject, cfg: ClusterConfig = config): string[] {
  return admit(obj, cfg).errors.map((e) => e.message);
}

export function warnings(obj: KubeObject, cfg: ClusterConfig = config): string[] {
  return admit(obj, cfg).warnings.map((e) => e.message);
}

/**
 * A table row: the object, and either `null` (admitted) or a message the errors must contain
 * (exactly, when it starts with the field path; otherwise as a substring of one message).
 */
export type Row = [name: string, obj: KubeObject, expected: string | null];

export function checkRows(rows: Row[], cfg: ClusterConfig = config): void {
  for (const [name, obj, expected] of rows) {
    const got = errors(obj, cfg);
    if (expected === null) assert.deepEqual(got, [], name);
    else
      assert.ok(
        got.some((m) => m === expected || m.includes(expected)),
        `${name}: expected ${JSON.stringify(expected)} in ${JSON.stringify(got, null, 1)}`,
      );
  }
}
