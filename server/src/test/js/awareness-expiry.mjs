// Awareness across fronts (issue 6): client A on front A, client B on front B, one document. First A moves its
// cursor 200 times, 50 ms apart, and "ready" reports how long each move took to reach B. Then the test kills front A
// (SIGKILL, so no removal is ever sent) and writes "killed" to stdin. We measure when B stops seeing A, then a
// new client C joins front B: 7 s later it must not see A either (A's state is gone from front B too).
// usage: node awareness-expiry.mjs <ws-url-A> <ws-url-B> <document>
// stdout: JSON lines {event: "ready"} then {event: "result", ...}.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import WebSocket from 'ws'
import readline from 'node:readline'
import { sleep, until } from './lib.mjs'

const [urlA, urlB, name] = process.argv.slice(2)
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n')
let killedAt = null
readline.createInterface({ input: process.stdin }).on('line', (l) => { if (l.trim() === 'killed') killedAt = Date.now() })

function client (label, url) {
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket })
  const provider = new HocuspocusProvider({ websocketProvider, name, document: new Y.Doc() })
  provider.attach()
  provider.awareness.setLocalStateField('user', label)
  return { provider, websocketProvider }
}
const sees = (c, label) => [...c.provider.awareness.getStates().values()].some((s) => s.user === label)

const out = {}
const a = client('A', urlA)
const b = client('B', urlB)
try {
  if (!await until(() => sees(b, 'A') && sees(a, 'B'), 20000)) throw new Error('A and B do not see each other')
  // latency first: A moves its "cursor" every 50 ms; when does B, on the other front, see each move?
  const sentAt = []
  const latencies = []
  b.provider.awareness.on('update', () => {
    const t = performance.now()
    for (const s of b.provider.awareness.getStates().values()) {
      if (s.user !== 'A' || typeof s.tick !== 'number') continue
      // a move counts as delivered when it, or a newer one (coalesced), arrives
      for (let i = latencies.length; i <= s.tick && i < sentAt.length; i++) latencies.push(t - sentAt[i])
    }
  })
  for (let i = 0; i < 200; i++) {
    sentAt.push(performance.now())
    a.provider.awareness.setLocalStateField('tick', i)
    await sleep(50)
  }
  await until(() => latencies.length === sentAt.length, 5000)
  const sorted = [...latencies].sort((x, y) => x - y)
  const at = (p) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 10) / 10
  emit({ event: 'ready', moves: sentAt.length, delivered: latencies.length, p50: at(0.5), p99: at(0.99), max: at(1) })
  if (!await until(() => killedAt != null, 60000)) throw new Error('no "killed" from the test')
  out.bDroppedA = await until(() => !sees(b, 'A'), 60000)
  out.bDroppedAfterMs = Date.now() - killedAt
  const c = client('C', urlB)
  if (!await until(() => c.provider.synced && sees(c, 'B'), 20000)) throw new Error('C not synced')
  out.cSawAAtJoin = sees(c, 'A')
  await sleep(7000)
  out.cSeesALater = sees(c, 'A')
  out.cSeesB = sees(c, 'B')
  out.ok = out.bDroppedA && !out.cSeesALater && out.cSeesB
  c.provider.destroy()
  c.websocketProvider.destroy()
} catch (e) {
  out.error = String(e)
}
for (const c of [a, b]) {
  c.provider.destroy()
  c.websocketProvider.destroy()
}
emit({ event: 'result', ...out })
process.exit(0)
