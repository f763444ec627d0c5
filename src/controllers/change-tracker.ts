// Lets a controller skip a pass when nothing it reads has changed since its last pass (as an
// informer-driven controller has nothing queued). Each controller watches the kinds it reads;
// its own writes do not count, since a controller's second pass over its own output writes
// nothing. A pass with another context (another build, another cluster config) always runs.

import type { Kind } from '../api/types.js';
import type { Store } from '../store/store.js';
import type { ControllerContext } from './context.js';

const trackers = new WeakMap<Store, Map<string, ChangeTracker>>();

export class ChangeTracker {
  private lastChange = 0;
  private lastRun = -1;
  private lastContext: ControllerContext | undefined;
  private writing = false;

  private constructor(store: Store, kinds: readonly Kind[]) {
    const watched = new Set<string>(kinds);
    store.watch((event) => {
      if (!this.writing && watched.has(event.object.kind)) this.lastChange = store.resourceVersion;
    });
  }

  /** The tracker of controller `name` for `store`, watching `kinds` from its first use on. */
  static of(store: Store, name: string, kinds: readonly Kind[]): ChangeTracker {
    let byName = trackers.get(store);
    if (!byName) {
      byName = new Map();
      trackers.set(store, byName);
    }
    let t = byName.get(name);
    if (!t) {
      t = new ChangeTracker(store, kinds);
      byName.set(name, t);
    }
    return t;
  }

  /** Runs `pass` unless nothing watched changed since the last pass with this context. */
  run(ctx: ControllerContext, pass: () => void): void {
    if (ctx === this.lastContext && this.lastChange <= this.lastRun) return;
    this.writing = true;
    try {
      pass();
    } finally {
      this.writing = false;
    }
    this.lastContext = ctx;
    this.lastRun = ctx.store.resourceVersion;
  }
}
