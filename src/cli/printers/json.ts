// `-o json`: the machine contract (DESIGN.md, "JSON shapes"). Several objects, or any number
// from a list query, print as a `v1` `List`; one object asked for by name prints by itself,
// as kubectl does. Indented by four spaces like kubectl's JSON printer.

import type { KubeObject } from '../../api/types.js';

/** Receives output text in pieces, so a List of 150,000 pods never becomes one string. */
export type Write = (text: string) => void;

/** Collects small writes into chunks of about 64 KiB; call the returned flush at the end. */
export function chunked(write: Write): { write: Write; flush: () => void } {
  let buffer = '';
  return {
    write(text) {
      buffer += text;
      if (buffer.length >= 1 << 16) {
        write(buffer);
        buffer = '';
      }
    },
    flush() {
      if (buffer) write(buffer);
      buffer = '';
    },
  };
}

/**
 * The `List` kubectl wraps items in (`metadata.resourceVersion` empty, as kubectl prints it),
 * byte for byte what `JSON.stringify(list, null, 4)` gives, written one item at a time.
 */
export function printJSONList(items: readonly KubeObject[], write: Write): void {
  const out = chunked(write);
  out.write('{\n    "apiVersion": "v1",\n    "kind": "List",\n    "items": [');
  items.forEach((item, i) => {
    const text = JSON.stringify(item, null, 4).replaceAll('\n', '\n        ');
    out.write(`${i === 0 ? '' : ','}\n        ${text}`);
  });
  out.write(items.length === 0 ? '],\n' : '\n    ],\n');
  out.write('    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
  out.flush();
}
