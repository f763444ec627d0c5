// Runs the built CLI as a user would (a child process, from the repository root) and compares
// its output with golden files under test/golden/.
//
// Refresh every golden file after an intended output change with one command:
//
//     UPDATE_GOLDEN=1 npm test
//
// then review the diff of test/golden/ before committing it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/cli). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'dist/src/cli/main.js');
const GOLDEN = join(REPO, 'test/golden');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `podnet ARGS...` with optional stdin; PODNET_* variables of the caller are not inherited. */
export function podnet(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Run {
  const env: Record<string, string | undefined> = { ...process.env, PODNET_LAB: undefined, ...options.env };
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    input: options.input ?? '',
    encoding: 'utf8',
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Compares `actual` with test/golden/NAME, or rewrites it when UPDATE_GOLDEN=1. */
export function assertGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8');
  } catch {
    assert.fail(`golden file test/golden/${name} is missing; create it with UPDATE_GOLDEN=1 npm test`);
  }
  assert.equal(
    actual,
    expected,
    `output differs from test/golden/${name} (refresh with UPDATE_GOLDEN=1 npm test)`,
  );
}
