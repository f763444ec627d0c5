import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Decoded, decodeQuery, FLAG_QR, FLAG_RD } from '../../src/dns/wire.js';
import { encodeQuery } from '../../src/dns/wire-message.js';
import { A_IN, header, labels, msg, OPT, QNAME, QUESTION } from './wire-bytes.js';

function decoded(bytes: Uint8Array): Decoded {
  return decodeQuery(bytes);
}

test('query: header, question and OPT are decoded; the name is a lower-case key (RFC 1035 §4.1, RFC 4343)', () => {
  const q = encodeQuery('My-Svc.Default.svc.cluster.local.', 'SRV', {
    id: 7,
    recursionDesired: true,
    edns: { udpSize: 4096, dnssecOK: true },
  });
  const d = decoded(q);
  assert.equal(d.kind, 'query');
  assert.equal(d.query.id, 7);
  assert.equal(d.query.flags & FLAG_RD, FLAG_RD);
  assert.deepEqual(d.query.question, {
    name: 'my-svc.default.svc.cluster.local.',
    type: 33,
    qclass: 1,
    end: q.length - 11,
  });
  assert.deepEqual(d.query.edns, { udpSize: 4096, version: 0, dnssecOK: true });
});

test('query: the root name decodes to "." and labels needing escapes stay distinct (RFC 1035 §5.1)', () => {
  const root = decoded(msg(header([1, 0, 0, 0]), [0], A_IN));
  assert.equal(root.kind === 'query' && root.query.question.name, '.');
  const odd = decoded(msg(header([1, 0, 0, 0]), [3, 0x61, 0x2e, 0x62, 2, 0x5c, 0x20, 1, 0xff, 0], A_IN));
  assert.equal(odd.kind === 'query' && odd.query.question.name, 'a\\.b.\\\\\\032.\\255.');
});

test('query: a name of exactly 255 octets is accepted (RFC 1035 §2.3.4)', () => {
  const name = labels('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61));
  assert.equal(name.length, 255);
  assert.equal(decoded(msg(header([1, 0, 0, 0]), name, A_IN)).kind, 'query');
});

test('query: records in every section are walked, compressed owners included (RFC 1035 §4.1.4)', () => {
  // An answer record owned by a pointer to the question name, and an OPT record after it.
  const answer = [0xc0, 12, ...A_IN, 0, 0, 0, 30, 0, 4, 10, 0, 0, 1];
  const d = decoded(msg(header([1, 1, 0, 1]), QNAME, A_IN, answer, OPT(512)));
  assert.equal(d.kind, 'query');
  assert.equal(d.query.edns?.udpSize, 512);
});

const question = QUESTION;
const MALFORMED: {
  rule: string;
  bytes: Buffer;
  expect: 'drop' | 'NOTIMP' | 'FORMERR';
  reason: string;
  echoesQuestion?: boolean;
}[] = [
  {
    rule: 'shorter than the 12-octet header: dropped',
    bytes: Buffer.alloc(11),
    expect: 'drop',
    reason: 'shorter than a header',
  },
  {
    rule: 'QR set (a response): dropped, never answered',
    bytes: msg(header([1, 0, 0, 0], FLAG_QR), question),
    expect: 'drop',
    reason: 'a response, not a query',
  },
  {
    rule: 'opcode STATUS (2): NOTIMP',
    bytes: msg(header([1, 0, 0, 0], 2 << 11), question),
    expect: 'NOTIMP',
    reason: 'opcode is not QUERY',
  },
  {
    rule: 'opcode UPDATE (5): NOTIMP',
    bytes: msg(header([1, 0, 0, 0], 5 << 11), [0xff, 0xff]),
    expect: 'NOTIMP',
    reason: 'opcode is not QUERY',
  },
  {
    rule: 'no question',
    bytes: msg(header([0, 0, 0, 0])),
    expect: 'FORMERR',
    reason: 'question count is not 1',
  },
  {
    rule: 'two questions (Knot DNS and CoreDNS accept exactly one)',
    bytes: msg(header([2, 0, 0, 0]), question, question),
    expect: 'FORMERR',
    reason: 'question count is not 1',
  },
  {
    rule: 'question name runs past the message',
    bytes: msg(header([1, 0, 0, 0]), [6, 0x6d, 0x79]),
    expect: 'FORMERR',
    reason: 'name runs past the message',
  },
  {
    rule: 'question name without its root label',
    bytes: msg(header([1, 0, 0, 0]), [3, 0x61, 0x62, 0x63]),
    expect: 'FORMERR',
    reason: 'name runs past the message',
  },
  {
    rule: 'label length 64 (the 0b01 prefix, retired by RFC 6891 §5)',
    bytes: msg(header([1, 0, 0, 0]), [64, ...Buffer.alloc(64, 0x61), 0], A_IN),
    expect: 'FORMERR',
    reason: 'extended label type',
  },
  {
    rule: 'name of 256 octets (RFC 1035 §2.3.4: at most 255)',
    bytes: msg(
      header([1, 0, 0, 0]),
      labels('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)),
      A_IN,
    ),
    expect: 'FORMERR',
    reason: 'name longer than 255 octets',
  },
  {
    rule: 'compressed question name (Knot DNS refuses compression in QNAME)',
    bytes: msg(header([1, 0, 0, 0]), [0xc0, 12], A_IN),
    expect: 'FORMERR',
    reason: 'compression pointer in question',
  },
  {
    rule: 'question without QTYPE and QCLASS',
    bytes: msg(header([1, 0, 0, 0]), QNAME, [0, 1]),
    expect: 'FORMERR',
    reason: 'question runs past the message',
  },
  {
    rule: 'trailing octets after the last record (Knot DNS: FORMERR)',
    bytes: msg(header([1, 0, 0, 0]), question, [0]),
    expect: 'FORMERR',
    reason: 'trailing octets after the last record',
    echoesQuestion: true,
  },
  {
    rule: 'ARCOUNT larger than the records present',
    bytes: msg(header([1, 0, 0, 1]), question),
    expect: 'FORMERR',
    reason: 'name runs past the message',
    echoesQuestion: true,
  },
  {
    rule: 'record header runs past the message',
    bytes: msg(header([1, 0, 0, 1]), question, [0, 0, 41, 2]),
    expect: 'FORMERR',
    reason: 'record runs past the message',
    echoesQuestion: true,
  },
  {
    rule: 'RDLENGTH beyond the message',
    bytes: msg(header([1, 0, 0, 1]), question, [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 9, 1, 2]),
    expect: 'FORMERR',
    reason: 'record data runs past the message',
    echoesQuestion: true,
  },
  {
    rule: 'compression pointer to itself (a loop)',
    bytes: msg(header([1, 0, 0, 1]), question, [0xc0, 12 + question.length], A_IN, [0, 0, 0, 0, 0, 0]),
    expect: 'FORMERR',
    reason: 'compression pointer not strictly backward',
    echoesQuestion: true,
  },
  {
    rule: 'forward compression pointer',
    bytes: msg(header([1, 0, 0, 1]), question, [0xc0, 12 + question.length + 2], A_IN, [0, 0, 0, 0, 0, 0]),
    expect: 'FORMERR',
    reason: 'compression pointer not strictly backward',
    echoesQuestion: true,
  },
  {
    rule: 'two pointers jumping back and forth (a loop through two names)',
    // Record 1 owner at offset Q: label "x" then a pointer to Q+3 (forward, inside record 1).
    bytes: msg(
      header([1, 0, 0, 1]),
      question,
      [1, 0x78, 0xc0, 12 + question.length + 4, 0xc0, 12 + question.length],
      A_IN,
      [0, 0, 0, 0, 0, 0],
    ),
    expect: 'FORMERR',
    reason: 'compression pointer not strictly backward',
    echoesQuestion: true,
  },
  {
    rule: 'compression pointer into the header',
    bytes: msg(header([1, 0, 0, 1]), question, [0xc0, 4], A_IN, [0, 0, 0, 0, 0, 0]),
    expect: 'FORMERR',
    reason: 'compression pointer not strictly backward',
    echoesQuestion: true,
  },
  {
    rule: 'compression pointer cut in half',
    bytes: msg(header([1, 0, 0, 1]), question, [0xc0]),
    expect: 'FORMERR',
    reason: 'name runs past the message',
    echoesQuestion: true,
  },
  {
    rule: 'OPT in the answer section (RFC 6891 §6.1.1)',
    bytes: msg(header([1, 1, 0, 0]), question, OPT()),
    expect: 'FORMERR',
    reason: 'OPT record outside the additional section',
    echoesQuestion: true,
  },
  {
    rule: 'two OPT records (RFC 6891 §6.1.1)',
    bytes: msg(header([1, 0, 0, 2]), question, OPT(), OPT()),
    expect: 'FORMERR',
    reason: 'more than one OPT record',
    echoesQuestion: true,
  },
  {
    rule: 'OPT owned by a name other than the root (RFC 6891 §6.1.2)',
    bytes: msg(header([1, 0, 0, 1]), question, [0xc0, 12], OPT().slice(1)),
    expect: 'FORMERR',
    reason: 'OPT record not owned by the root',
    echoesQuestion: true,
  },
  {
    rule: 'EDNS option longer than the OPT data (RFC 6891 §6.1.2)',
    bytes: msg(header([1, 0, 0, 1]), question, OPT(1232, [0, 0, 0, 0], [0, 10, 0, 8, 1, 2, 3, 4])),
    expect: 'FORMERR',
    reason: 'EDNS option runs past the OPT record',
    echoesQuestion: true,
  },
  {
    rule: 'EDNS option header cut short',
    bytes: msg(header([1, 0, 0, 1]), question, OPT(1232, [0, 0, 0, 0], [0, 10])),
    expect: 'FORMERR',
    reason: 'EDNS option runs past the OPT record',
    echoesQuestion: true,
  },
];

for (const c of MALFORMED) {
  test(`malformed query: ${c.rule} (RFC 1035 §4.1, Knot DNS query processing)`, () => {
    const d = decoded(c.bytes);
    if (c.expect === 'drop') {
      assert.deepEqual(d, { kind: 'drop', reason: c.reason });
      return;
    }
    assert.equal(d.kind, 'error');
    assert.equal(d.rcode, c.expect);
    assert.equal(d.reason, c.reason);
    assert.equal(d.query.id, 0x1234);
    assert.equal(d.query.question !== undefined, c.echoesQuestion === true);
  });
}

test('query: EDNS options that fill the OPT data exactly are accepted (RFC 6891 §6.1.2)', () => {
  const cookie = [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8];
  const d = decoded(msg(header([1, 0, 0, 1]), question, OPT(1232, [0, 1, 0x80, 0], cookie)));
  assert.equal(d.kind, 'query');
  assert.deepEqual(d.query.edns, { udpSize: 1232, version: 1, dnssecOK: true });
});
