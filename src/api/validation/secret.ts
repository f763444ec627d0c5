// Secret (ValidateSecret): key names, total size, and the keys a TLS Secret must carry, since
// podnet's ingress proxy serves Ingress TLS from kubernetes.io/tls Secrets.

import type { FieldError } from '../errors.js';
import type { Secret } from '../types.js';
import { nameIsDNSSubdomain, validateObjectMeta } from './metadata.js';
import { isConfigMapKey } from './names.js';
import { invalidEach, Path, required, tooLong } from './path.js';

const MAX_SECRET_SIZE = 1024 * 1024;

function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

export function validateSecret(secret: Secret, errs: FieldError[]): void {
  validateObjectMeta(secret.metadata, true, nameIsDNSSubdomain, errs);
  const data = secret.data ?? {};
  const p = Path.of('data');
  let total = 0;
  for (const k of Object.keys(data)) {
    invalidEach(p.key(k), k, isConfigMapKey(k), errs);
    total += decodedLength(data[k]);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(p, MAX_SECRET_SIZE));
  if (secret.type === 'kubernetes.io/tls') {
    for (const k of ['tls.crt', 'tls.key']) if (!Object.hasOwn(data, k)) errs.push(required(p.key(k)));
  }
}
