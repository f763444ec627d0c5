// Manifests in: files, directories and stdin -> objects with their origin (file, line, and the
// line of any field), as `kubectl apply -f` would read them. Objects of kinds podnet does not
// model are skipped with one warning per kind; everything wrong with the input is a diagnostic,
// never an exception.

import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedObject } from '../cluster/build.js';
import type { Diagnostic, Origin } from './errors.js';
import { isKind, type KubeObject } from './types.js';
import { decodeYAML } from './yaml-decode.js';
import { SourceText } from './yaml-positions.js';

export interface ReadResult {
  objects: LoadedObject[];
  diagnostics: Diagnostic[];
}

/** Largest manifest file (or stdin) read; larger input is refused with an error. */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
/** File name extensions read from a directory (kubectl's: .json, .yaml, .yml). */
export const MANIFEST_EXTENSIONS = ['.json', '.yaml', '.yml'];
/** How stdin is named in messages. */
export const STDIN_NAME = '<stdin>';

/** Parses one file's text (YAML stream or JSON). */
export function parseManifests(text: string, file: string): ReadResult {
  const reader = new ManifestReader();
  reader.add(text, file);
  return reader.result();
}

/** Reads every path (`-` is stdin), in order; directories recursively, sorted by path. */
export async function readManifests(paths: string[], stdin?: NodeJS.ReadableStream): Promise<ReadResult> {
  const reader = new ManifestReader();
  let stdinRead = false;
  for (const path of paths) {
    if (path !== '-') await addPath(reader, path);
    else if (stdin && !stdinRead) {
      stdinRead = true;
      const bytes = await readLimited(stdin);
      if (bytes) reader.addBytes(bytes, STDIN_NAME);
      else
        reader.error(`${STDIN_NAME}: input is larger than the limit of ${MAX_MANIFEST_BYTES / 2 ** 20} MiB`);
    } else {
      reader.error(
        stdin ? 'standard input ("-") can be read only once' : 'standard input ("-") is not available',
      );
    }
  }
  return reader.result();
}

async function addPath(reader: ManifestReader, path: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    reader.error(
      missing ? `the path "${path}" does not exist` : `cannot read "${path}": ${(e as Error).message}`,
    );
    return;
  }
  if (!isDirectory) return reader.addFile(path);
  const errorsBefore = reader.errorCount;
  const files = await manifestFiles(path, reader);
  if (files.length === 0 && reader.errorCount === errorsBefore) {
    reader.error(
      `no manifests in directory "${path}" (looked for files ending ${MANIFEST_EXTENSIONS.join(', ')})`,
    );
  }
  for (const file of files) await reader.addFile(file);
}

/**
 * Manifest files under dir, depth first in name order (as kubectl walks a directory). Hidden
 * files and directories (`.git`, `.github`) are skipped; symlinks to files are read, symlinks to
 * directories are not followed (as filepath.Walk, which kubectl uses, does not).
 */
async function manifestFiles(dir: string, reader: ManifestReader): Promise<string[]> {
  const out: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    reader.error(`cannot read "${dir}": ${(e as Error).message}`);
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await manifestFiles(path, reader)));
    else if ((e.isFile() || e.isSymbolicLink()) && MANIFEST_EXTENSIONS.some((x) => e.name.endsWith(x))) {
      out.push(path);
    }
  }
  return out;
}

async function readLimited(stream: NodeJS.ReadableStream): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_MANIFEST_BYTES) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Bytes to text: UTF-8 (a BOM is dropped), or UTF-16 when a BOM says so (PowerShell's `>`). */
function decodeText(bytes: Uint8Array): string | undefined {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Where the object's node is in the text, and the path from that node to the object. */
interface Place {
  source: SourceText;
  file: string;
  start: number;
  end: number;
  prefix: (string | number)[];
}

class ManifestReader {
  private readonly objects: LoadedObject[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly skipped = new Map<string, { count: number; file: string; line: number }>();

  get errorCount(): number {
    return this.diagnostics.length;
  }

  error(message: string, file?: string, line?: number): void {
    this.diagnostics.push({ severity: 'error', file, line, message });
  }

  async addFile(file: string): Promise<void> {
    try {
      const { size } = await stat(file);
      if (size > MAX_MANIFEST_BYTES) {
        this.error(
          `file is ${Math.ceil(size / 2 ** 20)} MiB, larger than the limit of ${MAX_MANIFEST_BYTES / 2 ** 20} MiB`,
          file,
        );
        return;
      }
      this.addBytes(await readFile(file), file);
    } catch (e) {
      this.error(`cannot read "${file}": ${(e as Error).message}`);
    }
  }

  addBytes(bytes: Uint8Array, file: string): void {
    const text = decodeText(bytes);
    if (text === undefined) this.error('not a text file (invalid UTF-8)', file);
    else this.add(text, file);
  }

  add(raw: string, file: string): void {
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const source = new SourceText(text);
    // YAML forbids NUL; finding one means a binary file was given.
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      this.error('not a text file (it contains NUL bytes)', file, source.lineAt(nul));
      return;
    }
    for (const doc of decodeYAML(source)) {
      if (doc.error) {
        const { offset, message } = doc.error;
        this.error(
          `error parsing YAML: ${message} (column ${source.columnAt(offset)})`,
          file,
          source.lineAt(offset),
        );
        continue;
      }
      if (doc.value === null || doc.value === undefined) continue;
      this.addValue(doc.value, { source, file, start: doc.start, end: doc.end, prefix: [] }, doc.items);
    }
  }

  private addValue(value: unknown, place: Place, items: number[] | undefined): void {
    const line = place.prefix.length
      ? place.source.lineOf(place.start, place.end, place.prefix)
      : place.source.lineAt(place.start);
    const at = (path: (string | number)[]) =>
      place.source.lineOf(place.start, place.end, [...place.prefix, ...path]);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const found = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
      this.error(
        `invalid document: expected an object with apiVersion and kind, found ${found}`,
        place.file,
        line,
      );
      return;
    }
    const obj = value as Record<string, unknown>;
    const { kind, apiVersion } = obj;
    if (kind === undefined || kind === '' || kind === null) {
      this.error(`Object 'Kind' is missing in '${preview(obj)}'`, place.file, line);
      return;
    }
    if (typeof kind !== 'string') {
      this.error(`kind: Invalid value: ${JSON.stringify(kind)}: must be a string`, place.file, at(['kind']));
      return;
    }
    if (apiVersion === undefined || apiVersion === '' || apiVersion === null) {
      this.error(`Object 'apiVersion' is missing in '${preview(obj)}'`, place.file, line);
      return;
    }
    if (typeof apiVersion !== 'string') {
      this.error(
        `apiVersion: Invalid value: ${JSON.stringify(apiVersion)}: must be a string`,
        place.file,
        at(['apiVersion']),
      );
      return;
    }
    if (kind === 'List' || (kind.endsWith('List') && 'items' in obj)) {
      this.addList(obj, kind, apiVersion, place, items);
      return;
    }
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    // A kind podnet models, in a Kubernetes API group; the same kind name in another group
    // (Knative's serving.knative.dev Service) is a different kind. A built-in group with an
    // unserved version (extensions/v1beta1 Ingress) is admission's error to report.
    if (isKind(kind) && isBuiltInGroup(group)) {
      const origin: Origin = { file: place.file, line, lineOf: at };
      this.objects.push({ object: obj as KubeObject, origin });
      return;
    }
    const name = group ? `${kind}.${group}` : kind;
    const seen = this.skipped.get(name);
    if (seen) seen.count++;
    else this.skipped.set(name, { count: 1, file: place.file, line });
  }

  /**
   * `kind: List` and typed lists (`PodList`, as the API returns them): each item is an object of
   * its own. Items of a typed list without apiVersion and kind get the list's, as kubectl does.
   */
  private addList(
    list: Record<string, unknown>,
    kind: string,
    apiVersion: string,
    place: Place,
    items: number[] | undefined,
  ): void {
    const entries = list.items ?? [];
    if (!Array.isArray(entries)) {
      this.error(
        `items: Invalid value: must be a list of objects`,
        place.file,
        place.source.lineOf(place.start, place.end, [...place.prefix, 'items']),
      );
      return;
    }
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    entries.forEach((item, i) => {
      if (itemKind && typeof item === 'object' && item !== null && !Array.isArray(item)) {
        const o = item as Record<string, unknown>;
        if (o.kind === undefined && o.apiVersion === undefined) {
          o.apiVersion = apiVersion;
          o.kind = itemKind;
        }
      }
      // The item's own offsets when the parser recorded them (the root's items); otherwise the
      // item is located through the list.
      const own = items && place.prefix.length === 0 && items.length === entries.length * 2;
      const itemPlace: Place = own
        ? { source: place.source, file: place.file, start: items[2 * i], end: items[2 * i + 1], prefix: [] }
        : { ...place, prefix: [...place.prefix, 'items', i] };
      this.addValue(item, itemPlace, undefined);
    });
  }

  result(): ReadResult {
    const diagnostics = [...this.diagnostics];
    for (const [name, { count, file, line }] of this.skipped) {
      const what = count === 1 ? `1 object of kind ${name}` : `${count} objects of kind ${name}`;
      diagnostics.push({
        severity: 'warning',
        file,
        line,
        message: `skipping ${what}, the first here (podnet does not model this kind)`,
      });
    }
    return { objects: this.objects, diagnostics };
  }
}

/** Groups served by Kubernetes itself: the core group, `apps`, `*.k8s.io` (not `*.x-k8s.io`). */
function isBuiltInGroup(group: string): boolean {
  return group === '' || !group.includes('.') || (group.endsWith('.k8s.io') && !group.endsWith('.x-k8s.io'));
}

function preview(obj: Record<string, unknown>): string {
  const s = JSON.stringify(obj);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
