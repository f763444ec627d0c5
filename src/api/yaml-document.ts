// What the YAML decoders (yaml-decode.ts, yaml-fast.ts) produce, and the limits both keep so
// hostile input cannot exhaust the process.

/**
 * Deepest nesting accepted. Real manifests nest a few dozen levels (a CRD schema perhaps sixty);
 * the `yaml` package recurses per level and exhausts the JavaScript stack near 800, which V8 does
 * not always survive, so documents are measured before it sees them.
 */
export const MAX_DEPTH = 256;
/** Most nodes that aliases may expand to in one document (billion-laughs protection). */
export const MAX_ALIAS_NODES = 100_000;

export interface DecodedDocument {
  /** The document as JSON; null for an empty document; undefined when it failed to decode. */
  value: unknown;
  /** Offsets of the root node in the text (its first key, for a mapping) and of its end. */
  start: number;
  end: number;
  /** For a root mapping with an `items` sequence: start and end offsets of each entry, flattened. */
  items?: number[];
  error?: { offset: number; message: string };
}
