// String formats of the Kubernetes API (k8s.io/apimachinery/pkg/util/validation and
// pkg/api/validate/content). Each check returns the upstream messages, empty when valid, so
// callers turn each into one `Invalid value` error as the API server does.

const MAX_LABEL = 63;
const MAX_SUBDOMAIN = 253;

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** apimachinery's RegexError, down to its punctuation ("(e.g. 'a',  or 'b', regex ..."). */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123LabelUnderscoreFmt = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const dns1123SubdomainUnderscoreFmt = `${dns1123LabelUnderscoreFmt}(\\.${dns1123LabelUnderscoreFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const wildcardSubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;
const labelKeyFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${labelKeyFmt})?`;

const anchored = (fmt: string) => new RegExp(`^(?:${fmt})$`);
const dns1123LabelRe = anchored(dns1123LabelFmt);
const dns1123SubdomainRe = anchored(dns1123SubdomainFmt);
const dns1123SubdomainUnderscoreRe = anchored(dns1123SubdomainUnderscoreFmt);
const dns1035LabelRe = anchored(dns1035LabelFmt);
const wildcardSubdomainRe = anchored(wildcardSubdomainFmt);
const labelKeyRe = anchored(labelKeyFmt);
const labelValueRe = anchored(labelValueFmt);

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_UNDERSCORE_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const WILDCARD_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
const LABEL_KEY_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** RFC 1123 label: Namespace names, container names, hostnames, Service port names. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > MAX_LABEL) errs.push(maxLenError(MAX_LABEL));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label (length was checked above) has dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** RFC 1123 subdomain: most object names, node names, hostAliases hostnames. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > MAX_SUBDOMAIN) errs.push(maxLenError(MAX_SUBDOMAIN));
  if (!dns1123SubdomainRe.test(value))
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

/** A subdomain whose labels may carry underscores (DNS search paths like `_sip._tcp.example.com`). */
export function isDNS1123SubdomainWithUnderscore(value: string): string[] {
  const errs: string[] = [];
  if (value.length > MAX_SUBDOMAIN) errs.push(maxLenError(MAX_SUBDOMAIN));
  if (!dns1123SubdomainUnderscoreRe.test(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_UNDERSCORE_MSG, dns1123SubdomainUnderscoreFmt, 'example.com'));
  }
  return errs;
}

/** RFC 1035 label: Service names (they become DNS labels and must not start with a digit). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > MAX_LABEL) errs.push(maxLenError(MAX_LABEL));
  if (!dns1035LabelRe.test(value))
    errs.push(regexError(DNS1035_LABEL_MSG, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

/** `*.example.com`: the wildcard only as the whole first label (Ingress hosts, TLS hosts). */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > MAX_SUBDOMAIN) errs.push(maxLenError(MAX_SUBDOMAIN));
  if (!wildcardSubdomainRe.test(value))
    errs.push(regexError(WILDCARD_MSG, wildcardSubdomainFmt, '*.example.com'));
  return errs;
}

/** A label key or "qualified name": `[prefix/]name`, the prefix a DNS subdomain. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const slash = value.indexOf('/');
  let name = value;
  if (slash >= 0) {
    if (value.indexOf('/', slash + 1) >= 0) {
      return [
        `a valid label key ${regexError(LABEL_KEY_MSG, labelKeyFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ];
    }
    const prefix = value.slice(0, slash);
    name = value.slice(slash + 1);
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > MAX_LABEL) errs.push(`name part ${maxLenError(MAX_LABEL)}`);
  if (!labelKeyRe.test(name))
    errs.push(`name part ${regexError(LABEL_KEY_MSG, labelKeyFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function isLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > MAX_LABEL) errs.push(maxLenError(MAX_LABEL));
  if (!labelValueRe.test(value))
    errs.push(regexError(LABEL_VALUE_MSG, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IANA_SVC_NAME (RFC 6335), lower case only: container port names and named targetPorts. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port[0] === '-' || port[port.length - 1] === '-')) {
    errs.push('must not begin or end with a hyphen');
  }
  return errs;
}

/** Keys of Secret and ConfigMap data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > MAX_SUBDOMAIN) errs.push(maxLenError(MAX_SUBDOMAIN));
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        '[-._a-zA-Z0-9]+',
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** A name that is one segment of a REST path (apimachinery path.IsValidPathSegmentName). */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

const httpPathRe = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** `acme.io/foo`: a DNS subdomain, '/', and an HTTP path (IngressClass controller names). */
export function isDomainPrefixedPath(value: string): { value: string; message: string }[] {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) {
    return [{ value, message: 'must be a domain-prefixed path (such as "acme.io/foo")' }];
  }
  const host = value.slice(0, slash);
  const path = value.slice(slash + 1);
  const errs = isDNS1123Subdomain(host).map((message) => ({ value: host, message }));
  if (!httpPathRe.test(path)) {
    errs.push({ value: path, message: regexError('Invalid path', "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+") });
  }
  return errs;
}

/** A fully qualified domain name with at least two labels; a trailing dot is allowed. */
export function isFullyQualifiedDomainName(name: string): { value: string; message: string } | undefined {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const sub = isDNS1123Subdomain(n);
  if (sub.length > 0) return { value: n, message: sub.join(',') };
  const labels = n.split('.');
  if (labels.length < 2)
    return { value: n, message: 'should be a domain with at least two segments separated by dots' };
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) return { value: label, message: errs.join(',') };
  }
  return undefined;
}
