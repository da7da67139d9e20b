// Redis outage during an editing session (issue 6): client A on front A, client B on front B, one document.
// usage: node redis-outage.mjs <ws-url-A> <ws-url-B> <document>
// Both clients insert a marker every 200 ms and set an awareness field every 2 s; every close / disconnect
// event of their websockets is counted. The driving test writes lines to stdin:
//   "down"      Redis was just killed       "up"   Redis runs again: stop editing 2 s later, then check for up
//                                                  to 15 s that texts converge with every marker, that B sees
//                                                  an awareness state A set after "up", and report.
// stdout: JSON lines {event, t, ...}; the last line is the result {ok, closes, disconnects, ...}.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import WebSocket from 'ws'
import readline from 'node:readline'
import { sleep, until } from './lib.mjs'

const [urlA, urlB, name] = process.argv.slice(2)
const t0 = Date.now()
const now = () => Date.now() - t0
const emit = (o) => process.stdout.write(JSON.stringify({ t: now(), ...o }) + '\n')

const counts = { closes: 0, disconnects: 0, connectionErrors: 0, providerCloses: 0, providerDisconnects: 0, opens: 0 }

function client (label, url) {
  const doc = new Y.Doc()
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket })
  websocketProvider.on('open', () => { counts.opens++ })
  websocketProvider.on('close', (e) => {
    counts.closes++
    emit({ event: 'close', client: label, code: e?.event?.code, reason: String(e?.event?.reason ?? '') })
  })
  websocketProvider.on('disconnect', (e) => {
    counts.disconnects++
    emit({ event: 'disconnect', client: label, code: e?.event?.code })
  })
  const provider = new HocuspocusProvider({ websocketProvider, name, document: doc })
  provider.on('close', () => { counts.providerCloses++ })
  provider.on('disconnect', () => { counts.providerDisconnects++ })
  provider.attach() // a provider given its own websocket provider attaches explicitly (v3+)
  provider.awareness.setLocalStateField('user', label)
  return { label, doc, provider, websocketProvider, markers: [], seq: 0, tick: 0 }
}

const out = {}
const a = client('A', urlA)
const b = client('B', urlB)
const text = (c) => c.doc.getText('content').toString()

// phase marks, from stdin
let downAt = null
let upAt = null
const rl = readline.createInterface({ input: process.stdin })
rl.on('line', (line) => {
  const cmd = line.trim()
  if (cmd === 'down' && downAt == null) { downAt = now(); emit({ event: 'down' }) }
  if (cmd === 'up' && upAt == null) { upAt = now(); emit({ event: 'up' }) }
})

// cross-front visibility of A's markers at B (latency through Kafka), by phase
const insertedAt = new Map() // marker -> t
const seenByB = new Map() // marker -> t
b.doc.on('update', () => {
  const tb = text(b)
  for (const [m] of insertedAt) {
    if (!seenByB.has(m) && tb.includes(m)) seenByB.set(m, now())
  }
})

// awareness A -> B: the newest tick of A that B has seen, and when
let bSeesTick = -1
let bSeesTickAt = null
b.provider.awareness.on('change', () => {
  for (const s of b.provider.awareness.getStates().values()) {
    if (s.user === 'A' && typeof s.tick === 'number' && s.tick > bSeesTick) { bSeesTick = s.tick; bSeesTickAt = now() }
  }
})
const tickSetAt = new Map() // tick of A -> t

let editing = true
const timers = []
try {
  if (!await until(() => a.provider.synced && b.provider.synced, 20000)) throw new Error('not synced in 20 s')
  emit({ event: 'synced' })
  for (const c of [a, b]) {
    timers.push(setInterval(() => {
      if (!editing) return
      const m = `<${c.label}${++c.seq}>`
      const t = c.doc.getText('content')
      t.insert(t.length, m)
      c.markers.push(m)
      if (c === a) insertedAt.set(m, now())
    }, 200))
    const setTick = () => {
      c.tick++
      if (c === a) tickSetAt.set(c.tick, now())
      c.provider.awareness.setLocalStateField('tick', c.tick)
    }
    setTick()
    timers.push(setInterval(setTick, 2000))
  }
  if (!await until(() => upAt != null, 120000)) throw new Error('no "up" from the test')
  // the first tick A sets after Redis is back: B must see it (or a newer one)
  const tickAfterUp = a.tick + 1
  await sleep(2000)
  editing = false
  out.editsStoppedAt = now()
  out.convergedIn = null
  const converged = () => {
    const ta = text(a)
    return ta === text(b) && a.markers.every((m) => ta.includes(m)) && b.markers.every((m) => ta.includes(m)) &&
      !a.provider.hasUnsyncedChanges && !b.provider.hasUnsyncedChanges
  }
  const awarenessBack = () => bSeesTick >= tickAfterUp
  await until(() => {
    if (out.convergedIn == null && converged()) out.convergedIn = now() - out.editsStoppedAt
    return converged() && awarenessBack()
  }, 15000)
  out.converged = converged()
  out.awarenessRecovered = awarenessBack()
  out.tickAfterUp = tickAfterUp
  out.bSeesTick = bSeesTick
  out.awarenessRecoveryMs = out.awarenessRecovered ? bSeesTickAt - upAt : null
  out.awarenessLagMs = out.awarenessRecovered ? bSeesTickAt - tickSetAt.get(bSeesTick) : null
  out.ok = out.converged && out.awarenessRecovered && counts.closes === 0 && counts.disconnects === 0
} catch (e) {
  out.ok = false
  out.error = String(e)
}
for (const t of timers) clearInterval(t)
const ta = text(a)
const tb = text(b)
out.markersA = a.markers.length
out.markersB = b.markers.length
out.missingInA = [...a.markers, ...b.markers].filter((m) => !ta.includes(m)).length
out.missingInB = [...a.markers, ...b.markers].filter((m) => !tb.includes(m)).length
out.textsEqual = ta === tb
out.textLength = ta.length
out.unsyncedA = a.provider.unsyncedChanges
out.unsyncedB = b.provider.unsyncedChanges
Object.assign(out, counts)
out.downAt = downAt
out.upAt = upAt
// A's markers inserted while Redis was down: all seen by B, and how fast (ms, through Kafka)
const lags = [...insertedAt].filter(([, t]) => downAt != null && upAt != null && t >= downAt && t < upAt)
  .map(([m, t]) => (seenByB.has(m) ? seenByB.get(m) - t : null))
out.markersADuringOutage = lags.length
out.markersADuringOutageSeenByB = lags.filter((l) => l != null).length
const sorted = lags.filter((l) => l != null).sort((x, y) => x - y)
out.outageLagP50 = sorted.length ? sorted[Math.floor(sorted.length / 2)] : null
out.outageLagMax = sorted.length ? sorted[sorted.length - 1] : null
for (const c of [a, b]) {
  c.provider.destroy()
  c.websocketProvider.destroy()
}
process.stdout.write(JSON.stringify({ t: now(), event: 'result', ...out }) + '\n')
process.exit(0)
