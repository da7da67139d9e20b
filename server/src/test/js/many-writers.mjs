// Many writers on one document (issue 5, Hocuspocus PR #1130): <writers> raw Hocuspocus sockets, each with its
// own Y.Doc, push a marker into the shared array "log" <perSecond> times a second for <seconds> s, while one real
// @hocuspocus/provider observes. The writers do not apply what they receive (they are load, not editors); they
// count the frames and bytes the front sends them and the acknowledgements (SyncStatus) of their own updates.
// After the steady phase, every writer sends one more update in the same tick (burstUpdateFrames: the update frames
// the writers then received).
// usage: node many-writers.mjs <ws-url> <document> <writers> <seconds> <perSecond>
// stdout: one JSON line, {event: "result", ...}.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { sleep, until } from './lib.mjs'

const [url, name, writersArg, secondsArg, rateArg] = process.argv.slice(2)
const writers = Number(writersArg)
const seconds = Number(secondsArg)
const perSecond = Number(rateArg)
const now = () => performance.now()

const frame = (type, write) => {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, name)
  encoding.writeVarUint(e, type)
  write(e)
  return encoding.toUint8Array(e)
}

const sentAt = new Map() // marker -> time sent
const ackLatencies = []
const stats = { closes: [], errors: 0, framesIn: 0, bytesIn: 0, updateFramesIn: 0, acks: 0, refused: 0, sent: 0 }

function writer (i) {
  const doc = new Y.Doc()
  const ws = new WebSocket(url)
  ws.binaryType = 'arraybuffer'
  const w = { i, ws, doc, ready: false, unacked: [] }
  doc.on('update', (update) => {
    ws.send(frame(0, (e) => { encoding.writeVarUint(e, 2); encoding.writeVarUint8Array(e, update) }))
    w.unacked.push(now())
    stats.sent++
  })
  ws.on('open', () => ws.send(frame(2, (e) => { encoding.writeVarUint(e, 0); encoding.writeVarString(e, 'none') })))
  ws.on('message', (data) => {
    const bytes = new Uint8Array(data)
    stats.framesIn++
    stats.bytesIn += bytes.length
    const d = decoding.createDecoder(bytes)
    decoding.readVarString(d)
    const type = decoding.readVarUint(d)
    if (type === 2 && decoding.readVarUint(d) === 2 && !w.ready) { // Authenticated
      w.ready = true
      ws.send(frame(0, (e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc())) }))
    } else if (type === 0 && decoding.readVarUint(d) === 2) {
      stats.updateFramesIn++
    } else if (type === 8) {
      if (decoding.readVarUint(d) === 1) stats.acks++
      else stats.refused++
      const t = w.unacked.shift()
      if (t != null) ackLatencies.push(now() - t)
    }
  })
  ws.on('close', (code, reason) => stats.closes.push({ writer: i, code, reason: String(reason) }))
  ws.on('error', () => { stats.errors++ })
  return w
}

const pct = (xs, p) => {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10
}

const out = {}
const observerLatencies = []
const seen = new Set()
const obsDoc = new Y.Doc()
obsDoc.getArray('log').observe((ev) => {
  const t = now()
  for (const d of ev.changes.delta) {
    if (!d.insert) continue
    for (const m of d.insert) {
      if (!seen.has(m)) {
        seen.add(m)
        const s = sentAt.get(m)
        if (s != null) observerLatencies.push(t - s)
      }
    }
  }
})
const obsSocket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket })
const observer = new HocuspocusProvider({ websocketProvider: obsSocket, name, document: obsDoc })
observer.attach()
const ws = []
try {
  if (!await until(() => observer.synced, 20000)) throw new Error('observer not synced')
  for (let i = 0; i < writers; i++) {
    ws.push(writer(i))
    if (i % 25 === 24) await sleep(50)
  }
  if (!await until(() => ws.every((w) => w.ready), 30000)) throw new Error(`only ${ws.filter((w) => w.ready).length} writers authenticated`)
  const t0 = now()
  const timers = ws.map((w) => {
    let k = 0
    const tick = () => {
      const m = `${w.i}.${k++}`
      sentAt.set(m, now())
      w.doc.getArray('log').insert(0, [m])
    }
    const period = 1000 / perSecond
    const start = setTimeout(() => { tick(); w.timer = setInterval(tick, period) }, Math.random() * period)
    return () => { clearTimeout(start); clearInterval(w.timer) }
  })
  await sleep(seconds * 1000)
  timers.forEach((stop) => stop())
  out.editSeconds = (now() - t0) / 1000
  const sent = stats.sent
  out.allAcked = await until(() => stats.acks + stats.refused >= sent && seen.size >= sentAt.size, 90000)
  out.drainMs = Math.round(now() - t0 - seconds * 1000)
  // a burst: every writer sends in the same tick (as providers re-sending after a front restart); a front that keeps
  // up with the steady rate batches little, but here hundreds of updates wait at once and must go out merged
  const burstFrom = stats.updateFramesIn
  for (const w of ws) {
    const m = `${w.i}.burst`
    sentAt.set(m, now())
    w.doc.getArray('log').insert(0, [m])
  }
  out.burstDelivered = await until(() => stats.acks + stats.refused >= stats.sent && seen.size >= sentAt.size, 60000)
  await sleep(500) // frames still on their way to the writers
  out.burstUpdateFrames = stats.updateFramesIn - burstFrom
} catch (e) {
  out.error = String(e)
}
Object.assign(out, stats)
out.closes = stats.closes.slice(0, 20)
out.closeCount = stats.closes.length
out.markers = sentAt.size
out.observerSeen = seen.size
out.observerArrayLength = obsDoc.getArray('log').length
out.ackP50 = pct(ackLatencies, 0.5)
out.ackP99 = pct(ackLatencies, 0.99)
out.observerP50 = pct(observerLatencies, 0.5)
out.observerP99 = pct(observerLatencies, 0.99)
out.observerMax = pct(observerLatencies, 1)
out.ok = out.allAcked === true && out.burstDelivered === true && out.closeCount === 0 && stats.refused === 0 && seen.size === sentAt.size
for (const w of ws) w.ws.close(1000)
observer.destroy()
obsSocket.destroy()
process.stdout.write(JSON.stringify({ event: 'result', ...out }) + '\n')
process.exit(0)
