// EndpointSlice (pkg/apis/discovery/validation) and the legacy Endpoints (pkg/apis/core/validation
// ValidateEndpoints). Snapshots carry both; podnet's proxy and DNS read them, so addresses must
// parse for their address type and may not be loopback or link-local.

import { parseIP } from '../../ip/index.js';
import type { FieldError } from '../errors.js';
import type { EndpointAddress, EndpointSlice, Endpoints } from '../types.js';
import { validateIP, validateNonSpecialIP } from './addresses.js';
import { nameIsDNSSubdomain, validateObjectMeta } from './metadata.js';
import { isDNS1123Label, isFullyQualifiedDomainName, isQualifiedName, isValidPortNum } from './names.js';
import { duplicate, invalid, invalidEach, notSupported, Path, required, tooMany } from './path.js';
import { validateProtocol } from './pod.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;
const MAX_HINTS = 8;

function validateSliceAddress(type: string, address: string, p: Path, errs: FieldError[]): void {
  if (type === 'FQDN') {
    const problem = isFullyQualifiedDomainName(address);
    if (problem) errs.push(invalid(p, problem.value, problem.message));
    return;
  }
  const ip = parseIP(address);
  if (!ip || ip.family !== type) {
    errs.push(invalid(p, address, `must be a valid ${type} address`));
    return;
  }
  validateNonSpecialIP(p, address, ip, errs);
}

export function validateEndpointSlice(slice: EndpointSlice, errs: FieldError[]): void {
  validateObjectMeta(slice.metadata, true, nameIsDNSSubdomain, errs);
  const type = slice.addressType;
  if (!type) errs.push(required(Path.of('addressType')));
  else if (!ADDRESS_TYPES.includes(type))
    errs.push(notSupported(Path.of('addressType'), type, ADDRESS_TYPES));

  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS)
    errs.push(tooMany(Path.of('endpoints'), endpoints.length, MAX_ENDPOINTS));
  else {
    endpoints.forEach((ep, i) => {
      const p = Path.of('endpoints').index(i);
      const addresses = ep.addresses ?? [];
      if (addresses.length === 0)
        errs.push(required(p.child('addresses'), 'must contain at least 1 address'));
      else if (addresses.length > MAX_ADDRESSES)
        errs.push(tooMany(p.child('addresses'), addresses.length, MAX_ADDRESSES));
      if (type && ADDRESS_TYPES.includes(type)) {
        addresses.forEach((a, j) => {
          validateSliceAddress(type, a, p.child('addresses').index(j), errs);
        });
      }
      if (ep.nodeName !== undefined)
        invalidEach(p.child('nodeName'), ep.nodeName, nameIsDNSSubdomain(ep.nodeName), errs);
      if (ep.hostname !== undefined)
        invalidEach(p.child('hostname'), ep.hostname, isDNS1123Label(ep.hostname), errs);
      const zones = ep.hints?.forZones ?? [];
      if (zones.length > MAX_HINTS) errs.push(tooMany(p.child('hints', 'forZones'), zones.length, MAX_HINTS));
      const nodes = ep.hints?.forNodes ?? [];
      if (nodes.length > MAX_HINTS) errs.push(tooMany(p.child('hints', 'forNodes'), nodes.length, MAX_HINTS));
    });
  }

  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) {
    errs.push(tooMany(Path.of('ports'), ports.length, MAX_PORTS));
    return;
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = Path.of('ports').index(i);
    const name = port.name ?? '';
    if (name) invalidEach(p.child('name'), name, isDNS1123Label(name), errs);
    if (names.has(name)) errs.push(duplicate(p.child('name'), name));
    names.add(name);
    validateProtocol(port.protocol, p.child('protocol'), errs);
    // A nil port means "all ports"; a set one is a real port podnet programs.
    if (port.port !== undefined) invalidEach(p.child('port'), port.port, isValidPortNum(port.port), errs);
    if (port.appProtocol !== undefined)
      invalidEach(p.child('appProtocol'), port.appProtocol, isQualifiedName(port.appProtocol), errs);
  });
}

function validateEndpointAddress(a: EndpointAddress, p: Path, errs: FieldError[]): void {
  const ip = validateIP(p.child('ip'), a.ip ?? '', errs);
  if (a.hostname) invalidEach(p.child('hostname'), a.hostname, isDNS1123Label(a.hostname), errs);
  if (a.nodeName !== undefined)
    invalidEach(p.child('nodeName'), a.nodeName, nameIsDNSSubdomain(a.nodeName), errs);
  if (ip) validateNonSpecialIP(p.child('ip'), a.ip, ip, errs);
}

export function validateEndpoints(ep: Endpoints, errs: FieldError[]): void {
  validateObjectMeta(ep.metadata, true, nameIsDNSSubdomain, errs);
  ep.subsets?.forEach((ss, i) => {
    const p = Path.of('subsets').index(i);
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    ss.addresses?.forEach((a, j) => {
      validateEndpointAddress(a, p.child('addresses').index(j), errs);
    });
    ss.notReadyAddresses?.forEach((a, j) => {
      validateEndpointAddress(a, p.child('notReadyAddresses').index(j), errs);
    });
    const ports = ss.ports ?? [];
    ports.forEach((port, j) => {
      const pp = p.child('ports').index(j);
      if (ports.length > 1 && !port.name) errs.push(required(pp.child('name')));
      else if (port.name) invalidEach(pp.child('name'), port.name, isDNS1123Label(port.name), errs);
      invalidEach(pp.child('port'), port.port ?? 0, isValidPortNum(port.port ?? 0), errs);
      validateProtocol(port.protocol, pp.child('protocol'), errs);
      if (port.appProtocol !== undefined)
        invalidEach(pp.child('appProtocol'), port.appProtocol, isQualifiedName(port.appProtocol), errs);
    });
  });
}
