// Choosing a location within one virtual server (docs/ingress.md "Paths"). On ordinary hosts the
// Ingress rules apply: an Exact path equal to the request wins, else the longest Prefix whose
// path elements begin the request's (looked up element by element, never by scanning). On regex
// hosts nginx's rule applies: the first expression that matches, in the controller's order.
//
// Locations whose backend is a resource are skipped, as ingress-nginx creates no location for
// them; the matcher still says when one of them would have matched first, so `route` can tell.

import type { IngressLocation, IngressServer } from './types.js';

/** A Prefix path's key: its elements, without the trailing slash the Ingress API ignores. */
export function prefixKey(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

export interface PathMatch {
  /** The location that serves the request (the host's root location when no path matches). */
  readonly location: IngressLocation;
  /** A resource-backend location that matches with higher precedence, skipped by the controller. */
  readonly skipped?: IngressLocation;
}

interface Slot {
  routable?: IngressLocation;
  unsupported?: IngressLocation;
}

/** A path with a resource backend. (A host's root location always serves, even a 404.) */
function isUnsupported(loc: IngressLocation): boolean {
  return !loc.default && loc.backend !== undefined && 'resource' in loc.backend;
}

function slot(map: Map<string, Slot>, key: string): Slot {
  let s = map.get(key);
  if (!s) {
    s = {};
    map.set(key, s);
  }
  return s;
}

export class LocationMatcher {
  private readonly exact = new Map<string, Slot>();
  private readonly prefix = new Map<string, Slot>();
  private readonly regexes: { re?: RegExp; loc: IngressLocation }[] = [];
  /** The host's '/' location (its spec.defaultBackend or the 404), which every path reaches. */
  private readonly root: IngressLocation;

  constructor(private readonly server: IngressServer) {
    const root = server.locations.find((l) => l.path === '/' && l.pathType !== 'Exact' && !isUnsupported(l));
    if (!root) throw new RangeError(`ingress server ${server.host || '(catch-all)'} has no '/' location`);
    this.root = root;
    for (const loc of server.locations) {
      if (server.regex) {
        let re: RegExp | undefined;
        if (!loc.problem && loc.expression !== undefined) re = new RegExp(loc.expression, 'i');
        this.regexes.push({ re, loc });
        continue;
      }
      const s = loc.match === 'Exact' ? slot(this.exact, loc.path) : slot(this.prefix, prefixKey(loc.path));
      const which = isUnsupported(loc) ? 'unsupported' : 'routable';
      s[which] ??= loc;
    }
  }

  match(path: string): PathMatch {
    return this.server.regex ? this.matchRegex(path) : this.matchRules(path);
  }

  private matchRules(path: string): PathMatch {
    let skipped: IngressLocation | undefined;
    const exact = this.exact.get(path);
    if (exact?.routable) return { location: exact.routable };
    skipped = exact?.unsupported;
    // The request's own elements, longest first: '/a/b/' -> '/a/b', '/a', '' (the root).
    let key = prefixKey(path);
    for (;;) {
      const s = this.prefix.get(key);
      if (s?.routable) return { location: s.routable, skipped };
      skipped ??= s?.unsupported;
      if (key === '') return { location: this.root, skipped };
      key = key.slice(0, key.lastIndexOf('/'));
    }
  }

  private matchRegex(path: string): PathMatch {
    let skipped: IngressLocation | undefined;
    for (const { re, loc } of this.regexes) {
      if (!re?.test(path)) continue;
      if (!isUnsupported(loc)) return { location: loc, skipped };
      skipped ??= loc;
    }
    return { location: this.root, skipped };
  }
}
