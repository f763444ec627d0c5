// How `podnet dns` prints an answer: dig's layout for people, DESIGN.md's DNSAnswer for scripts.

import type { ResolvConf } from '../../controllers/kubelet/pod-network.js';
import { formatRecord } from '../../dns/master-file.js';
import type { Resolution } from '../../dns/resolver.js';
import { presentData, type ResourceRecord, type ZoneAnswer } from '../../dns/types.js';

/** Who answers the pod's queries, from its resolv.conf: the cluster DNS, or something else. */
export interface DNSAsker {
  readonly pod: string;
  readonly resolv: ResolvConf;
  /** Set when the pod's first nameserver is not the cluster DNS: what it asks instead. */
  readonly elsewhere?: string;
}

/** DESIGN.md's `dns -o json` shape, indented like the other JSON podnet prints. */
export function printAnswerJSON(r: Resolution, type: string, answer: ZoneAnswer): string {
  const out = {
    kind: 'DNSAnswer',
    question: { name: r.result.name, type },
    rcode: answer.rcode,
    answers: answer.answers.map((rr) => ({
      name: rr.name,
      type: rr.data.type,
      ttl: rr.ttl,
      data: presentData(rr.data),
    })),
    // The names queried; one too long to send never was.
    searched: r.tried.filter((a) => a.answer !== undefined).map((a) => a.name),
  };
  return `${JSON.stringify(out, null, 4)}\n`;
}

function section(title: string, records: readonly ResourceRecord[]): string {
  return records.length === 0
    ? ''
    : `\n;; ${title} SECTION:\n${records.map((rr) => `${formatRecord(rr)}\n`).join('')}`;
}

/** dig's layout: header, question, the non-empty sections; then what podnet adds. */
export function printAnswerText(
  r: Resolution,
  type: string,
  command: string,
  asker: DNSAsker | undefined,
  server: string,
): string {
  const { name, answer } = r.result;
  let text = `; <<>> podnet dns <<>> ${command}\n`;
  if (answer) {
    const flags = answer.authoritative ? 'qr aa rd' : 'qr rd';
    text += `;; ->>HEADER<<- opcode: QUERY, status: ${answer.rcode}\n`;
    text += `;; flags: ${flags}; QUERY: 1, ANSWER: ${answer.answers.length}, AUTHORITY: ${answer.authority.length}, ADDITIONAL: ${answer.additional.length}\n`;
    text += `\n;; QUESTION SECTION:\n;${name}\t\tIN\t${type}\n`;
    text +=
      section('ANSWER', answer.answers) +
      section('AUTHORITY', answer.authority) +
      section('ADDITIONAL', answer.additional);
  }
  if (asker) {
    const options = asker.resolv.options.map((o) =>
      o.value === undefined ? o.name : `${o.name}:${o.value}`,
    );
    text += `\n;; RESOLV.CONF of ${asker.pod}: search ${asker.resolv.searches.join(' ') || '(none)'}; options ${options.join(' ') || '(none)'}\n`;
  }
  text += `\n;; SEARCHED:\n`;
  for (const a of r.tried) {
    const outcome = a.answer
      ? a.answer.rcode
      : 'not sent: longer than a domain name may be; the search list stops here';
    const mark = a === r.result ? (r.found ? '\t<- answered' : '\t<- returned') : '';
    text += `;${a.name}\t${outcome}${mark}\n`;
  }
  if (answer?.rcode === 'REFUSED') {
    text += `;; REFUSED: ${name} is outside the cluster zones; the cluster DNS would forward it upstream, which podnet does not do\n`;
  }
  text += `;; SERVER: ${server}\n`;
  return text;
}
