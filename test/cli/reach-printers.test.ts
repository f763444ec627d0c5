// The reach printers on matrices built by hand: names no manifest could hold (names are DNS
// labels, but rule names of the admin kinds and any future source are free text), so every
// escaping path is exercised, and the html page's script is run against a minimal DOM.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import type { Pod } from '../../src/api/types.js';
import { printHTML, scriptJSON } from '../../src/cli/printers/reach-html.js';
import { csvField, dotString, printCSV, printDOT, printJSON } from '../../src/cli/printers/reach-stream.js';
import { markdownText, printMarkdown, printTruthTables } from '../../src/cli/printers/reach-text.js';
import { describeRule, describeVerdict } from '../../src/cli/printers/reach-verdict.js';
import type { Reachability } from '../../src/netpol/reach.js';
import type { DirectionVerdict, PortProtocol, Verdict } from '../../src/netpol/types.js';

const HOSTILE = '</script><script>alert(1)</script>';

function pod(namespace: string, name: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name }, spec: { containers: [] } } as Pod;
}

const open = (direction: 'Ingress' | 'Egress'): DirectionVerdict => ({
  direction,
  allowed: true,
  reason: 'not-isolated',
  isolatedBy: [],
  decidedBy: [],
  passedBy: [],
});

/** A 2 x 2 matrix on one port: only a -> b is denied, by an admin rule whose name is hostile. */
function hostileReach(): Reachability {
  const pods = [pod('x', 'a"b,c'), pod('x', `b${HOSTILE}`)];
  const ports: PortProtocol[] = [{ port: 80, protocol: 'TCP' }];
  const denied = (i: number, j: number) => i === 0 && j === 1;
  return {
    ports,
    from: pods,
    to: pods,
    allowed: (i, j) => !denied(i, j),
    verdict: (i, j): Verdict => {
      if (!denied(i, j)) return { allowed: true, egress: open('Egress'), ingress: open('Ingress') };
      const ingress: DirectionVerdict = {
        direction: 'Ingress',
        allowed: false,
        reason: 'admin-deny',
        isolatedBy: [],
        decidedBy: [
          {
            policy: { kind: 'ClusterNetworkPolicy', name: `deny-${HOSTILE}` },
            direction: 'Ingress',
            rule: 2,
            ruleName: `<b>&"${HOSTILE}`,
            action: 'Deny',
            peer: 0,
            priority: 10,
          },
        ],
        passedBy: [],
      };
      return { allowed: false, egress: open('Egress'), ingress };
    },
    summary: () => ({ pairs: 4, classes: { from: 2, to: 2 }, allowedPerPort: [3] }),
  };
}

function collect(print: (write: (s: string) => void) => void): string {
  let out = '';
  print((s) => {
    out += s;
  });
  return out;
}

test('html: names and rule names reach the page only as escaped script data (no markup injection)', () => {
  const html = collect((w) => printHTML(hostileReach(), w));
  // Exactly the two script elements of the page; the hostile text never opens or closes one.
  assert.equal(html.match(/<script/g)?.length, 2);
  assert.equal(html.match(/<\/script>/g)?.length, 2);
  assert.ok(!html.includes('<b>'));
  assert.ok(html.includes('\\u003c/script\\u003e'));
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.doesNotMatch(html, /\b(?:src|href)=/, 'nothing is fetched');
  const data = JSON.parse(
    (/<script type="application\/json" id="reach-data">(.*?)<\/script>/s.exec(html) as RegExpExecArray)[1],
  );
  assert.deepEqual(data.from, ['x/a"b,c', `x/b${HOSTILE}`]);
  assert.match(data.explain[data.cells[0][1]], /ClusterNetworkPolicy\/deny-<\/script>/);
});

test('scriptJSON: <, >, & and the line separators are escaped; the value round-trips', () => {
  const value = { s: `${HOSTILE}&\u2028\u2029` };
  const text = scriptJSON(value);
  assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(text), value);
});

/** Just enough DOM for the page's script: a data element, a tooltip, canvases that record drawing. */
function runPage(html: string) {
  const data = (
    /<script type="application\/json" id="reach-data">(.*?)<\/script>/s.exec(html) as RegExpExecArray
  )[1];
  const script = (/<script>(.*?)<\/script>/s.exec(html) as RegExpExecArray)[1];
  const tip = { hidden: true, textContent: '', style: {} as Record<string, string> };
  const canvases = [...html.matchAll(/<canvas data-port="(\d+)">/g)].map((m) => {
    const drawn = { rects: [] as string[], texts: [] as string[] };
    const handlers: Record<string, (e: unknown) => void> = {};
    let fill = '';
    const ctx = {
      set fillStyle(v: string) {
        fill = v;
      },
      get fillStyle() {
        return fill;
      },
      font: '',
      textAlign: '',
      textBaseline: '',
      measureText: (t: string) => ({ width: t.length * 7 }),
      fillText: (t: string) => drawn.texts.push(t),
      fillRect: () => drawn.rects.push(fill),
      scale() {},
      save() {},
      restore() {},
      translate() {},
      rotate() {},
    };
    const canvas = {
      dataset: { port: m[1] },
      style: {},
      width: 0,
      height: 0,
      getContext: () => ctx,
      getBoundingClientRect: () => ({ left: 0, top: 0 }),
      addEventListener: (type: string, f: (e: unknown) => void) => {
        handlers[type] = f;
      },
    };
    return { canvas, drawn, handlers };
  });
  const document = {
    getElementById: (id: string) => (id === 'reach-data' ? { textContent: data } : id === 'tip' ? tip : null),
    querySelectorAll: () => canvases.map((c) => c.canvas),
  };
  runInNewContext(script, { document, window: { devicePixelRatio: 1 }, Math, Number, JSON });
  return { tip, canvases };
}

test('html: the page script draws one cell per pair and explains the cell under the pointer', () => {
  const { tip, canvases } = runPage(collect((w) => printHTML(hostileReach(), w)));
  assert.equal(canvases.length, 1);
  const { drawn, handlers } = canvases[0];
  // Three allowed with no policy involved, one denied, in row-major order.
  assert.deepEqual(drawn.rects, ['#9ecae1', '#e6550d', '#9ecae1', '#9ecae1']);
  assert.ok(drawn.texts.includes(`x/b${HOSTILE}`), 'labels are drawn as canvas text');
  const left = Math.max(...['x/a"b,c', `x/b${HOSTILE}`].map((n) => n.length * 7)) + 8;
  const cell = 18;
  // Over row 0, column 1: the denied pair.
  handlers.mousemove({ clientX: left + cell + 2, clientY: left + 2, pageX: 0, pageY: 0 });
  assert.equal(tip.hidden, false);
  assert.match(tip.textContent, /^x\/a"b,c -> x\/b<\/script>.* 80\/TCP: denied\n/);
  assert.match(tip.textContent, /ingress: denied by an Admin tier rule\n {2}ClusterNetworkPolicy\/deny-/);
  handlers.mousemove({ clientX: 1, clientY: 1, pageX: 0, pageY: 0 });
  assert.equal(tip.hidden, true, 'outside the cells: no tooltip');
});

test('csv: RFC 4180 quoting of fields with commas and quotes; json: names as JSON strings', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a"b,c'), '"a""b,c"');
  assert.equal(csvField('line\nbreak'), '"line\nbreak"');
  const csv = collect((w) => printCSV(hostileReach(), w)).split('\n');
  assert.equal(csv[0], 'from,to,port,allowed');
  assert.equal(csv[1], '"x/a""b,c","x/a""b,c",80/TCP,true');
  const json = JSON.parse(collect((w) => printJSON(hostileReach(), w)));
  assert.deepEqual(json.items[1], { from: 'x/a"b,c', to: `x/b${HOSTILE}`, port: '80/TCP', allowed: false });
});

test('json: an empty port list still prints a well-formed document', () => {
  const empty: Reachability = { ...hostileReach(), ports: [] };
  assert.deepEqual(JSON.parse(collect((w) => printJSON(empty, w))), {
    kind: 'Reachability',
    ports: [],
    items: [],
  });
});

test('dot: ids are quoted strings with " and \\ escaped; self pairs have no edge', () => {
  assert.equal(dotString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  const dot = collect((w) => printDOT(hostileReach(), w));
  const edges = dot.split('\n').filter((l) => l.includes(' -> '));
  assert.deepEqual(edges, [`    "x/b${HOSTILE}" -> "x/a\\"b,c" [label="80/TCP"];`]);
  assert.match(dot, /subgraph "cluster_x" \{\n {8}label="x";\n/);
});

test('md: cell text is literal Markdown (|, markup and html escaped)', () => {
  assert.equal(markdownText('a|b*c_<d>&'), 'a\\|b\\*c\\_&lt;d&gt;&amp;');
  const md = collect((w) => printMarkdown(hostileReach(), w));
  assert.ok(!md.includes('<script>'));
  assert.match(md, /^\| x\/a"b,c \| ✓ \| ✗ \|$/m);
});

test('table: the e2e truth table marks, one table per port under "port P/PROTO:"', () => {
  assert.equal(
    collect((w) => printTruthTables(hostileReach(), false, w)),
    `port 80/TCP:\n-\tx/a"b,c\tx/b${HOSTILE}\nx/a"b,c\t.\tX\nx/b${HOSTILE}\t.\t.\n`,
  );
});

test('verdict text: rules are named by their field path, with name, action and priority for the admin kinds', () => {
  assert.equal(
    describeRule({
      policy: { kind: 'NetworkPolicy', namespace: 'backend', name: 'api-allow-web' },
      direction: 'Ingress',
      rule: 0,
      action: 'Allow',
      peer: 1,
      port: 0,
    }),
    'NetworkPolicy/backend/api-allow-web spec.ingress[0].from[1] ports[0]',
  );
  assert.equal(
    describeRule({
      policy: { kind: 'AdminNetworkPolicy', name: 'cluster' },
      direction: 'Egress',
      rule: 3,
      ruleName: 'deny-dns',
      action: 'Pass',
      priority: 5,
    }),
    'AdminNetworkPolicy/cluster spec.egress[3] ("deny-dns") action Pass, priority 5',
  );
  const v = hostileReach().verdict(0, 0, 0);
  assert.equal(
    describeVerdict(v),
    'allowed\negress: allowed: no policy selects the pod\ningress: allowed: no policy selects the pod',
  );
});
