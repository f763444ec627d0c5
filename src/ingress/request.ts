// What nginx makes of a request before choosing a server and a location (docs/ingress.md
// "Hostile requests"): the Host header as ngx_http_validate_host reads it, and the path
// normalised as location matching sees it (nginx "location": "%XX" decoded, "." and ".."
// resolved, adjacent slashes merged). Requests nginx refuses get a reason, and a 400.

export type Parsed =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: string };

/**
 * ngx_http_validate_host: the port (after the first ':' outside an IPv6 literal) and one
 * trailing dot are dropped, the rest lower-cased; NUL, '/', '..' or an empty name are refused.
 */
export function parseHost(raw: string): Parsed {
  let dot = -2;
  let end = raw.length;
  let state: 'usual' | 'literal' | 'rest' = 'usual';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '.') {
      if (dot === i - 1)
        return { ok: false, reason: `the Host header ${JSON.stringify(raw)} has an empty label` };
      dot = i;
    } else if (ch === ':') {
      if (state === 'usual') {
        end = i;
        state = 'rest';
      }
    } else if (ch === '[') {
      if (i === 0) state = 'literal';
    } else if (ch === ']') {
      if (state === 'literal') {
        end = i + 1;
        state = 'rest';
      }
    } else if (ch === '\0' || ch === '/') {
      return { ok: false, reason: `the Host header ${JSON.stringify(raw)} holds ${JSON.stringify(ch)}` };
    }
  }
  if (dot === end - 1) end--;
  if (end <= 0) return { ok: false, reason: 'the Host header is empty' };
  return { ok: true, value: raw.slice(0, end).toLowerCase() };
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Percent-decoded bytes of the path; refused like nginx: a bad escape, or an encoded NUL. */
function decode(path: string): Uint8Array | string {
  const raw = Buffer.from(path, 'utf8');
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b !== 0x25) {
      out[n++] = b;
      continue;
    }
    const hex = String.fromCharCode(raw[i + 1] ?? 0, raw[i + 2] ?? 0);
    if (!HEX.test(hex)) return 'it has a malformed percent-escape';
    const v = Number.parseInt(hex, 16);
    if (v === 0) return 'it encodes a NUL byte (%00)';
    out[n++] = v;
    i += 2;
  }
  return out.subarray(0, n);
}

/**
 * The path location matching sees. The query and fragment are cut first (an encoded '?' stays
 * in the path); an empty path is '/', which is what HTTP clients send for it. Decoded characters
 * count like literal ones ("%2e%2e" is "..", "%2F" a slash), as nginx decodes before it resolves.
 */
export function parsePath(raw: string): Parsed {
  const cut = raw.search(/[?#]/);
  const target = cut === -1 ? raw : raw.slice(0, cut);
  if (target === '') return { ok: true, value: '/' };
  if (!target.startsWith('/'))
    return { ok: false, reason: `the request path ${JSON.stringify(raw)} does not start with '/'` };
  // Without an escape, a doubled slash or a dot segment there is nothing to normalise.
  if (!/%|\/\/|\/\./.test(target)) return { ok: true, value: target };
  const bytes = decode(target);
  if (typeof bytes === 'string')
    return { ok: false, reason: `the request path ${JSON.stringify(raw)}: ${bytes}` };
  const decoded = Buffer.from(bytes).toString('utf8');
  const segments: string[] = [];
  const parts = decoded.split('/');
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0)
        return {
          ok: false,
          reason: `the request path ${JSON.stringify(raw)} climbs above the root with '..'`,
        };
      segments.pop();
    } else segments.push(part);
  }
  const last = parts[parts.length - 1];
  const trailing = last === '' || last === '.' || last === '..';
  const path = `/${segments.join('/')}`;
  return { ok: true, value: trailing && segments.length > 0 ? `${path}/` : path };
}

/** An address, not a name: no SNI is sent for it, and no rule host can equal it. */
export function isAddressHost(host: string): boolean {
  return host.startsWith('[') || /^[0-9.]+$/.test(host);
}
