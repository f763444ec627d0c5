// The ingress-nginx annotations that change routing (docs/ingress.md "Annotations"). Others
// (timeouts, auth, CORS, ...) shape the proxying, not where a request goes, and are not read.

import type { Ingress } from '../api/types.js';

const PREFIX = 'nginx.ingress.kubernetes.io/';

/** Go's strconv.ParseBool, which ingress-nginx parses boolean annotations with. */
function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export interface RoutingAnnotations {
  /** use-regex: paths are case-insensitive regular expressions on every location of the host. */
  readonly useRegex: boolean;
  /** rewrite-target set (and different from the path): implies regular expressions too. */
  readonly rewriteTarget?: string;
  /** ssl-redirect (default true): plain HTTP is redirected when the host has a certificate. */
  readonly sslRedirect: boolean;
  /** force-ssl-redirect (default false): redirect even without a certificate. */
  readonly forceSSLRedirect: boolean;
  /** canary: the Ingress only weights traffic of another Ingress's location. */
  readonly canary: boolean;
}

export function routingAnnotations(ing: Ingress): RoutingAnnotations {
  const a = ing.metadata.annotations ?? {};
  const target = a[`${PREFIX}rewrite-target`];
  return {
    useRegex: parseBool(a[`${PREFIX}use-regex`]) ?? false,
    rewriteTarget: target === '' ? undefined : target,
    sslRedirect: parseBool(a[`${PREFIX}ssl-redirect`]) ?? true,
    forceSSLRedirect: parseBool(a[`${PREFIX}force-ssl-redirect`]) ?? false,
    canary: parseBool(a[`${PREFIX}canary`]) ?? false,
  };
}

/** The location's path needs regular expressions (ingress-nginx enforceRegexModifier). */
export function wantsRegex(anns: RoutingAnnotations, path: string): boolean {
  return anns.useRegex || (anns.rewriteTarget !== undefined && anns.rewriteTarget !== path);
}
