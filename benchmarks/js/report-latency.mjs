// Markdown report of run-latency.sh: node report-latency.mjs <data-dir> <machine.txt> <combined-json-out>
// Reads latency-*.json and capacity-*.json from the data dir, writes all of them into one JSON file and prints
// the tables.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, machineFile, jsonOut] = process.argv.slice(2)
const read = (f) => JSON.parse(readFileSync(join(dir, f), 'utf8'))
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
const latency = files.filter((f) => f.startsWith('latency-')).map(read)
const capacity = files.filter((f) => f.startsWith('capacity-')).map(read)
writeFileSync(jsonOut, JSON.stringify({ latency, capacity }, null, 1) + '\n')

const num = (x, digits = 3) => {
  if (x === null || x === undefined || Number.isNaN(x)) return '–'
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US')
  return Number(x.toPrecision(digits)).toString()
}
const mb = (b) => (b === null || b === undefined ? '–' : (b / 1048576).toFixed(1))
const kb = (b) => (b === null || b === undefined ? '–' : (b / 1024).toFixed(1))
const find = (system, topo, rate, n) => latency.find((r) => r.label === `${system}/${topo}/${rate}/${n}`)
const pp = (r) => (r ? `${num(r.ms.p50)} / **${num(r.ms.p99)}**` : 'not run')
const ratio = (a, b) => (a && b && a.ms.p99 && b.ms.p99 ? `${num(a.ms.p99 / b.ms.p99, 2)}x` : '–')
const lost = (r) => (r ? (r.lost ? `${r.lost.toLocaleString('en-US')} of ${r.expected.toLocaleString('en-US')}` : '0') : '–')

const out = []
out.push('# WebSocket front latency and capacity: Quire vs Hocuspocus', '')
out.push(readFileSync(machineFile, 'utf8').trim(), '')
out.push('## Edit-to-peer latency (ms, p50 / p99; lower is better)', '')
// what the front answered to the offer (each run records the extensions its writer's socket negotiated)
const offered = latency.filter((r) => r.label.startsWith('quire/'))
const quireAnswer = offered.length === 0 ? 'no such run'
  : offered.every((r) => !r.extensions) ? 'Quire declined it (QUIRE_WS_COMPRESSION off, its default), so both Quire columns are the same server path'
    : offered.every((r) => r.extensions) ? 'Quire accepted it (QUIRE_WS_COMPRESSION on)' : 'Quire accepted it in some runs only'
out.push('"one": writer and receivers on one instance; "two": writer on instance A, receivers on instance B (Quire: two fronts, one',
  'Kafka; Hocuspocus: two servers joined by @hocuspocus/extension-redis). Quire (deflate): the client offers permessage-deflate',
  `(ws's default, as browsers) and ${quireAnswer}; Quire (no deflate): the client does not offer it; Hocuspocus declines it by`,
  'default; Hocuspocus (deflate): one instance started with ws\'s perMessageDeflate on (one instance only).', '')
out.push('| instances | edits/s | receivers | Quire (deflate) | Quire (no deflate) | Hocuspocus | Hocuspocus (deflate) | p99 Quire (no deflate) / Hocuspocus | p99 Quire (deflate) / Hocuspocus (deflate) | p99 Quire (deflate) / Hocuspocus | updates lost (Quire deflate / no deflate / Hocuspocus) |')
out.push('|---|---|---|---|---|---|---|---|---|---|---|')
for (const topo of ['one', 'two']) {
  for (const rate of [200, 1000]) {
    for (const n of [1, 8]) {
      const q = find('quire', topo, rate, n)
      const qn = find('quire-nodeflate', topo, rate, n)
      const h = find('hocuspocus', topo, rate, n)
      const hd = find('hocuspocus-deflate', topo, rate, n)
      if (!q && !qn && !h) continue
      out.push(`| ${topo} | ${rate.toLocaleString('en-US')} | ${n} | ${pp(q)} | ${pp(qn)} | ${pp(h)} | ${hd ? pp(hd) : '–'} | ${ratio(qn, h)} | ${ratio(q, hd)} | ${ratio(q, h)} | ${lost(q)} / ${lost(qn)} / ${lost(h)} |`)
    }
  }
}
out.push('', '### Every latency run', '')
out.push('| run (system/instances/rate/receivers) | p50 | p90 | p99 | p99.9 | max | received / expected | sends > 5 ms late | frames per receiver | Quire produce ack p50 / p99 (bucket bound, ms) | load at start → end |')
out.push('|---|---|---|---|---|---|---|---|---|---|---|')
for (const r of latency) {
  const prod = r.produce ? `≤ ${num(r.produce.p50UpToMs)} / ≤ ${num(r.produce.p99UpToMs)}` : '–'
  out.push(`| ${r.label} | ${num(r.ms.p50)} | ${num(r.ms.p90)} | ${num(r.ms.p99)} | ${num(r.ms.p999)} | ${num(r.ms.max)} | ${r.received.toLocaleString('en-US')} / ${r.expected.toLocaleString('en-US')} | ${r.lateSends} | ${r.framesPerReceiver} | ${prod} | ${r.loadStart} → ${r.loadEnd} |`)
}
out.push('', '## Idle connections and heap per connection', '')
out.push('Raw `ws` sockets speaking the Hocuspocus protocol (Auth, then SyncStep1), spread over 100 documents, held idle; heap after GC',
  '(Quire: `jcmd GC.run`, then G1 used from `GC.heap_info`; Hocuspocus: `process.memoryUsage().heapUsed` after `gc()`); per connection =',
  '(heap at the level − heap before any connection) / connections; RSS the same from /proc.', '')
out.push('| system | connections held | opened in (s) | heap after GC (MB) | heap per connection (KB) | RSS per connection (KB) | result | load |')
out.push('|---|---|---|---|---|---|---|---|')
for (const c of capacity) {
  for (const l of c.levels) {
    out.push(`| ${c.label}${c.extensions ? ` (${c.extensions})` : ''} | ${l.opened.toLocaleString('en-US')} of ${l.count.toLocaleString('en-US')} | ${l.openSeconds} | ${mb(l.heapUsed)} | ${kb(l.heapPerConnection)} | ${kb(l.rssPerConnection)} | ${l.ok ? 'held' : `failed: ${l.failure}`} | ${l.load} |`)
  }
}
console.log(out.join('\n'))
