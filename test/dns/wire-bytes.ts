// Raw DNS messages built octet by octet, for tests that need what no encoder would write.

export function header(counts: [number, number, number, number], flags = 0, id = 0x1234): number[] {
  const words = [id, flags, ...counts];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

export function labels(...parts: string[]): number[] {
  return [...parts.flatMap((p) => [p.length, ...Buffer.from(p, 'latin1')]), 0];
}

export const QNAME = labels('my-svc', 'default', 'svc', 'cluster', 'local');
export const A_IN = [0, 1, 0, 1];
export const OPT = (udp = 1232, ttl = [0, 0, 0, 0], rdata: number[] = []) => [
  0,
  0,
  41,
  udp >> 8,
  udp & 0xff,
  ...ttl,
  rdata.length >> 8,
  rdata.length & 0xff,
  ...rdata,
];

export const msg = (...parts: number[][]) => Buffer.from(parts.flat());

/** The question of most raw test messages: my-svc.default.svc.cluster.local. A IN. */
export const QUESTION = [...QNAME, ...A_IN];
