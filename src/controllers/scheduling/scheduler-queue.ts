// The scheduler's choice of the least-loaded node, in O(log n) per pod: a min-heap of
// (pod count, node index) per set of eligible nodes. Counts only grow while a batch is placed, so
// an entry may be stale (lower than the node's count); a stale entry is refreshed when it reaches
// the top, which keeps the first fresh entry the true minimum, ties going to the earlier node.

// Keys pack the count above the node index: exact in a double for up to 2^20 nodes and 2^32 pods.
const SLOT = 2 ** 20;
export const MAX_NODES = SLOT;

export class LoadHeap {
  private readonly keys: number[] = [];

  constructor(nodes: ArrayLike<number>, counts: ArrayLike<number>) {
    for (let i = 0; i < nodes.length; i++) this.keys.push(counts[nodes[i]] * SLOT + nodes[i]);
    this.keys.sort((a, b) => a - b);
  }

  push(node: number, count: number): void {
    const keys = this.keys;
    let i = keys.length;
    const key = count * SLOT + node;
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent];
      i = parent;
    }
    keys[i] = key;
  }

  /** Removes and returns the smallest key, or -1 when empty. */
  private popKey(): number {
    const keys = this.keys;
    if (keys.length === 0) return -1;
    const top = keys[0];
    const last = keys.pop() as number;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && keys[child + 1] < keys[child]) child++;
        if (keys[child] >= last) break;
        keys[i] = keys[child];
        i = child;
      }
      keys[i] = last;
    }
    return top;
  }

  /**
   * The least-loaded node with room (`counts[node] < capacity[node]`) that `fits` accepts, or -1.
   * Full nodes leave the heap for good; nodes `fits` rejects stay. The chosen node is removed:
   * the caller pushes it back with its new count.
   */
  pick(counts: ArrayLike<number>, capacity: ArrayLike<number>, fits?: (node: number) => boolean): number {
    const held: number[] = [];
    let chosen = -1;
    for (let key = this.popKey(); key >= 0; key = this.popKey()) {
      const node = key % SLOT;
      const count = (key - node) / SLOT;
      if (count !== counts[node]) {
        this.push(node, counts[node]);
        continue;
      }
      if (count >= capacity[node]) continue;
      if (fits && !fits(node)) {
        held.push(key);
        continue;
      }
      chosen = node;
      break;
    }
    for (const key of held) this.push(key % SLOT, Math.floor(key / SLOT));
    return chosen;
  }
}
