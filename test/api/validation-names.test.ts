import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1123SubdomainWithUnderscore,
  isFullyQualifiedDomainName,
  isLabelValue,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from '../../src/api/validation/names.js';

const long = (n: number, c = 'a') => c.repeat(n);

test('names: each format accepts and refuses what apimachinery util/validation does (table)', () => {
  const cases: [string, (v: string) => string[], string, boolean][] = [
    // IsDNS1123Label: Namespace names, container names, hostnames
    ['DNS-1123 label', isDNS1123Label, 'my-name', true],
    ['DNS-1123 label', isDNS1123Label, '123-abc', true],
    ['DNS-1123 label', isDNS1123Label, long(63), true],
    ['DNS-1123 label', isDNS1123Label, long(64), false],
    ['DNS-1123 label', isDNS1123Label, '', false],
    ['DNS-1123 label', isDNS1123Label, '-a', false],
    ['DNS-1123 label', isDNS1123Label, 'a-', false],
    ['DNS-1123 label', isDNS1123Label, 'My-Name', false],
    ['DNS-1123 label', isDNS1123Label, 'a.b', false],
    ['DNS-1123 label', isDNS1123Label, 'a_b', false],
    // IsDNS1123Subdomain: most object names
    ['DNS-1123 subdomain', isDNS1123Subdomain, 'example.com', true],
    ['DNS-1123 subdomain', isDNS1123Subdomain, 'a', true],
    ['DNS-1123 subdomain', isDNS1123Subdomain, `${long(63)}.${long(63)}.${long(63)}.${long(61)}`, true],
    ['DNS-1123 subdomain', isDNS1123Subdomain, long(254), false],
    ['DNS-1123 subdomain', isDNS1123Subdomain, 'a..b', false],
    ['DNS-1123 subdomain', isDNS1123Subdomain, '.a', false],
    ['DNS-1123 subdomain', isDNS1123Subdomain, 'a.', false],
    ['DNS-1123 subdomain', isDNS1123Subdomain, 'A.com', false],
    // DNS search paths may carry underscores (SRV-style)
    ['subdomain with underscore', isDNS1123SubdomainWithUnderscore, '_sip._tcp.example.com', true],
    ['subdomain with underscore', isDNS1123SubdomainWithUnderscore, 'a__b', true],
    ['subdomain with underscore', isDNS1123SubdomainWithUnderscore, 'a_', false],
    // IsDNS1035Label: Service names
    ['DNS-1035 label', isDNS1035Label, 'my-name', true],
    ['DNS-1035 label', isDNS1035Label, 'abc-123', true],
    ['DNS-1035 label', isDNS1035Label, '1abc', false],
    ['DNS-1035 label', isDNS1035Label, long(64), false],
    // IsWildcardDNS1123Subdomain: Ingress hosts
    ['wildcard subdomain', isWildcardDNS1123Subdomain, '*.example.com', true],
    ['wildcard subdomain', isWildcardDNS1123Subdomain, '*.*.example.com', false],
    ['wildcard subdomain', isWildcardDNS1123Subdomain, 'foo.*.example.com', false],
    ['wildcard subdomain', isWildcardDNS1123Subdomain, '*example.com', false],
    ['wildcard subdomain', isWildcardDNS1123Subdomain, '*', false],
    // IsValidPortName (IANA_SVC_NAME)
    ['IANA_SVC_NAME', isValidPortName, 'http', true],
    ['IANA_SVC_NAME', isValidPortName, 'h2c-8080', true],
    ['IANA_SVC_NAME', isValidPortName, long(15), true],
    ['IANA_SVC_NAME', isValidPortName, long(16), false],
    ['IANA_SVC_NAME', isValidPortName, '8080', false],
    ['IANA_SVC_NAME', isValidPortName, 'HTTP', false],
    ['IANA_SVC_NAME', isValidPortName, '-http', false],
    ['IANA_SVC_NAME', isValidPortName, 'http-', false],
    ['IANA_SVC_NAME', isValidPortName, 'ht--tp', false],
    ['IANA_SVC_NAME', isValidPortName, 'ht_tp', false],
    // IsQualifiedName: label and annotation keys
    ['qualified name', isQualifiedName, 'app', true],
    ['qualified name', isQualifiedName, 'MyName', true],
    ['qualified name', isQualifiedName, 'app.kubernetes.io/name', true],
    ['qualified name', isQualifiedName, 'example.com/my_key.v1', true],
    ['qualified name', isQualifiedName, '/name', false],
    ['qualified name', isQualifiedName, 'a/b/c', false],
    ['qualified name', isQualifiedName, 'Example.com/name', false],
    ['qualified name', isQualifiedName, 'example.com/', false],
    ['qualified name', isQualifiedName, long(64), false],
    ['qualified name', isQualifiedName, '_key', false],
    ['qualified name', isQualifiedName, '__proto__', false],
    // IsValidLabelValue
    ['label value', isLabelValue, '', true],
    ['label value', isLabelValue, 'my_value', true],
    ['label value', isLabelValue, '12345', true],
    ['label value', isLabelValue, long(63), true],
    ['label value', isLabelValue, long(64), false],
    ['label value', isLabelValue, 'a b', false],
    ['label value', isLabelValue, '-a', false],
    // IsConfigMapKey: Secret data keys
    ['config key', isConfigMapKey, 'tls.crt', true],
    ['config key', isConfigMapKey, '.dockerconfigjson', true],
    ['config key', isConfigMapKey, '..data', false],
    ['config key', isConfigMapKey, 'a/b', false],
  ];
  for (const [what, check, value, valid] of cases) {
    assert.equal(
      check(value).length === 0,
      valid,
      `${what} ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`,
    );
  }
});

test('names: messages keep the Kubernetes wording, punctuation included (RegexError, MaxLenError)', () => {
  assert.deepEqual(isDNS1123Label('My_Name'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Subdomain('a_b'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isDNS1035Label('1a'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.equal(isDNS1123Label(long(64))[0], 'must be no more than 63 characters');
  assert.deepEqual(isValidPortName('--'), [
    'must contain at least one letter (a-z)',
    'must not contain consecutive hyphens',
    'must not begin or end with a hyphen',
  ]);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.equal(isValidPortNum(0)[0], 'must be between 1 and 65535, inclusive');
  assert.deepEqual(isValidPortNum(65535), []);
  assert.deepEqual(isValidPortNum(65536), ['must be between 1 and 65535, inclusive']);
});

test('names: a fully qualified domain name has two labels and may end with a dot (IsFullyQualifiedDomainName)', () => {
  assert.equal(isFullyQualifiedDomainName('example.com.'), undefined);
  assert.equal(isFullyQualifiedDomainName('db.svc.example.com'), undefined);
  assert.equal(
    isFullyQualifiedDomainName('localhost')?.message,
    'should be a domain with at least two segments separated by dots',
  );
  assert.ok(isFullyQualifiedDomainName('Bad.com'));
});

test('names: a 1 MB name is refused with bounded messages (no catastrophic backtracking)', () => {
  const huge = `${long(1_000_000)}!`;
  for (const check of [
    isDNS1123Label,
    isDNS1123Subdomain,
    isDNS1035Label,
    isQualifiedName,
    isLabelValue,
    isWildcardDNS1123Subdomain,
  ]) {
    const msgs = check(huge);
    assert.ok(msgs.length > 0 && msgs.every((m) => m.length < 400), check.name);
  }
});
