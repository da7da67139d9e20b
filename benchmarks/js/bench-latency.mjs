// Client side of the WebSocket front benchmark (see ../run-latency.sh). The same code drives Quire and Hocuspocus.
//
// node bench-latency.mjs latency --label L --writer URL --receiver URL --doc NAME --rate 200 --receivers 8
//                                --seconds 15 --warmup 3 [--deflate on|off] [--metrics URL]
//   One writer and N receivers, each a real @hocuspocus/provider 4.x with its own socket, on one document. The writer
//   inserts "<seq> " at the end of a Y.Text at a fixed rate and notes performance.now() just before each insert (the
//   provider sends the update synchronously inside the transaction); every receiver parses the sequence numbers out
//   of the text deltas it observes and records now - sent. All clients run in this one process, so one clock.
//   Edits of the first --warmup seconds are not counted. With --metrics URL (a Quire front's /metrics), also the
//   front's Kafka produce-acknowledgement latency from halfway through the warm-up on (histogram difference). Prints
//   one JSON object, with measuredFrom, the wall-clock time of the first measured edit.
//
// node bench-latency.mjs capacity --label L --url URL --counts 1000,5000,10000 --docs 100 --hold 5
//                                 (--jcmd PID | --stats-url URL) [--pid PID] [--deflate on|off]
//   Opens raw `ws` sockets speaking the Hocuspocus protocol (Auth with a token, then SyncStep1 of an empty document;
//   joined = Authenticated and SyncStep2 received), socket i on document "<label>-cap-<i % docs>", up to each count in
//   turn, holds them idle for --hold seconds, checks none closed, and measures the server's heap after GC: Quire with
//   `jcmd PID GC.run` + `GC.heap_info` (G1 used), Hocuspocus from its stats URL (heapUsed after gc()). --pid adds the
//   server's RSS. Stops at the first level where a socket fails to open or join, or closes. Prints one JSON object.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const [mode, ...rest] = process.argv.slice(2)
const opt = (name, def) => {
  const i = rest.indexOf(`--${name}`)
  if (i >= 0) return rest[i + 1]
  if (def === undefined) throw new Error(`--${name} is required`)
  return def
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

async function until(cond, ms, what) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(10)
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

// ---------------------------------------------------------------------------------------------- latency

async function produceBuckets(url) {
  if (!url) return null
  const text = await (await fetch(url)).text()
  const buckets = []
  for (const m of text.matchAll(/^quire_kafka_produce_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)) {
    buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])])
  }
  return buckets
}

// p50/p99 (upper bucket bounds, ms) of the produce latencies recorded between two scrapes
function produceLatency(before, after) {
  if (!before || !after) return null
  const diff = after.map(([le, n], i) => [le, n - (before[i] ? before[i][1] : 0)])
  const count = diff.length ? diff[diff.length - 1][1] : 0
  const at = (p) => {
    const found = diff.find(([, n]) => n >= (p / 100) * count)
    return found ? found[0] * 1000 : null
  }
  return { count, p50UpToMs: at(50), p99UpToMs: at(99) }
}

// ws offers permessage-deflate by default, as browsers do; --deflate off makes the client not offer it
class WebSocketWithoutDeflate extends WebSocket {
  constructor(address, protocols, options) {
    super(address, protocols, { ...options, perMessageDeflate: false })
  }
}

function providerClient(url, name, deflate) {
  const doc = new Y.Doc()
  const WebSocketPolyfill = deflate ? WebSocket : WebSocketWithoutDeflate
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill })
  const provider = new HocuspocusProvider({ websocketProvider, name, document: doc, token: 'bench' })
  provider.attach() // a provider given its own websocket provider attaches explicitly (v3+)
  const c = { doc, provider, websocketProvider, closes: 0, frames: 0, bytes: 0, extensions: null }
  websocketProvider.on('close', () => { c.closes++ })
  websocketProvider.on('open', () => { c.extensions = websocketProvider.webSocket?.extensions ?? null })
  websocketProvider.on('message', (e) => {
    c.frames++
    c.bytes += (e.data ?? e).byteLength ?? 0
  })
  return c
}

async function latency() {
  const label = opt('label')
  const rate = Number(opt('rate'))
  const receiversN = Number(opt('receivers'))
  const seconds = Number(opt('seconds'))
  const warmup = Number(opt('warmup'))
  const name = opt('doc')
  const deflate = opt('deflate', 'on') === 'on'
  const loadStart = loadavg()

  // receivers first, so the receiving instance holds the document before the writer's first edit
  const receivers = []
  for (let i = 0; i < receiversN; i++) receivers.push(providerClient(opt('receiver'), name, deflate))
  await until(() => receivers.every((r) => r.provider.synced), 30000, 'receivers synced')
  const writer = providerClient(opt('writer'), name, deflate)
  await until(() => writer.provider.synced, 30000, 'writer synced')
  await sleep(500)
  const metricsUrl = opt('metrics', '')
  // the produce-acknowledgement figures are the histogram's difference between a scrape halfway through the warm-up
  // and one after the drain. Not at the start of the measured window: a scrape costs the front a burst of rarely run
  // (so not compiled) code, and Node's first fetch() loads its HTTP client, both only in Quire's runs; at that moment
  // they added 5-15 ms to the first measured second's slowest delivery (BENCHMARKS.md, run 18). This first scrape,
  // before any edit, only loads the client's fetch.
  await produceBuckets(metricsUrl)

  const warmupCount = Math.round(rate * warmup)
  const total = warmupCount + Math.round(rate * seconds)
  const sentAt = new Float64Array(total)
  const samples = []
  // the slowest delivery of the edits sent in each second of the measured window: a tail from one burst or spread out
  const maxPerSecond = new Float64Array(Math.ceil(seconds))
  const seen = receivers.map(() => new Uint8Array(total))
  let duplicates = 0
  receivers.forEach((r, ri) => {
    r.doc.getText('t').observe((event) => {
      const now = performance.now()
      for (const op of event.delta) {
        if (typeof op.insert !== 'string') continue
        for (const s of op.insert.split(' ')) {
          if (s === '') continue
          const seq = Number(s)
          if (seen[ri][seq]) { duplicates++; continue }
          seen[ri][seq] = 1
          if (seq >= warmupCount) {
            const ms = now - sentAt[seq]
            samples.push(ms)
            const second = Math.floor((seq - warmupCount) / rate)
            if (ms > maxPerSecond[second]) maxPerSecond[second] = ms
          }
        }
      }
    })
  })

  const text = writer.doc.getText('t')
  const period = 1000 / rate
  let seq = 0
  let late = 0 // edits sent more than 5 ms after their scheduled time (the client's event loop was busy)
  let bucketsBefore = null
  const t0 = performance.now()
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / period) + 1)
      if (seq >= Math.floor(warmupCount / 2) && metricsUrl && bucketsBefore === null) {
        bucketsBefore = 'pending'
        produceBuckets(metricsUrl).then((b) => { bucketsBefore = b })
      }
      while (seq < due) {
        const now = performance.now()
        if (now - (t0 + seq * period) > 5) late++
        sentAt[seq] = now
        text.insert(text.length, `${seq} `)
        seq++
      }
      if (seq < total) setTimeout(tick, Math.max(0, t0 + seq * period - performance.now()))
      else resolve()
    }
    tick()
  })
  const sendSeconds = (performance.now() - t0) / 1000
  // drain: wait until every receiver has everything, at most 10 s (what is still missing then counts as lost)
  const expected = receiversN * (total - warmupCount)
  await until(() => samples.length >= expected, 10000, 'drain').catch(() => {})
  const loadEnd = loadavg()
  const produce = produceLatency(bucketsBefore === 'pending' ? null : bucketsBefore, await produceBuckets(metricsUrl))

  const sorted = Float64Array.from(samples).sort()
  const out = {
    label, mode: 'latency', doc: name,
    // wall-clock time of the first measured edit (epoch ms), to line the tails up with the servers' logs
    measuredFrom: Math.round(performance.timeOrigin + t0 + warmupCount * period),
    deflateOffered: deflate, extensions: writer.extensions, rate, receivers: receiversN, seconds, warmup,
    sent: total - warmupCount, sendSeconds: +sendSeconds.toFixed(2), lateSends: late,
    expected, received: samples.length, lost: expected - samples.length, duplicates,
    closes: receivers.reduce((a, r) => a + r.closes, 0) + writer.closes,
    framesToWriter: writer.frames, bytesToWriter: writer.bytes,
    framesPerReceiver: Math.round(receivers.reduce((a, r) => a + r.frames, 0) / receiversN),
    bytesPerReceiver: Math.round(receivers.reduce((a, r) => a + r.bytes, 0) / receiversN),
    ms: {
      p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99),
      p999: percentile(sorted, 99.9), max: sorted.length ? sorted[sorted.length - 1] : null,
      mean: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : null,
      maxPerSecond: Array.from(maxPerSecond, (ms) => +ms.toFixed(1)),
    },
    produce, loadStart, loadEnd,
    textsEqual: receivers.every((r) => r.doc.getText('t').toString() === text.toString()),
  }
  for (const c of [writer, ...receivers]) {
    c.provider.destroy()
    c.websocketProvider.destroy()
  }
  console.log(JSON.stringify(out))
}

// ---------------------------------------------------------------------------------------------- capacity

function writeVarUint(bytes, n) {
  while (n > 0x7f) {
    bytes.push(0x80 | (n & 0x7f))
    n = Math.floor(n / 128)
  }
  bytes.push(n)
}

function writeVarString(bytes, s) {
  const b = Buffer.from(s, 'utf8')
  writeVarUint(bytes, b.length)
  for (const x of b) bytes.push(x)
}

function readVarUint(buf, pos) {
  let n = 0
  let mult = 1
  for (;;) {
    const b = buf[pos.i++]
    n += (b & 0x7f) * mult
    if (b < 0x80) return n
    mult *= 128
  }
}

function readVarString(buf, pos) {
  const len = readVarUint(buf, pos)
  const s = buf.toString('utf8', pos.i, pos.i + len)
  pos.i += len
  return s
}

const AUTH = 2
const SYNC = 0

function authMessage(doc) {
  const b = []
  writeVarString(b, doc)
  writeVarUint(b, AUTH)
  writeVarUint(b, 0) // Token
  writeVarString(b, 'bench')
  return Buffer.from(b)
}

function syncStep1Message(doc) {
  const b = []
  writeVarString(b, doc)
  writeVarUint(b, SYNC)
  writeVarUint(b, 0) // SyncStep1
  writeVarUint(b, 1) // state vector of an empty document: one byte, zero clients
  writeVarUint(b, 0)
  return Buffer.from(b)
}

function openIdle(url, doc, state, deflate) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: deflate })
    let done = false
    const finish = (ok, why) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve({ ok, why, ws })
    }
    const timer = setTimeout(() => finish(false, 'not joined within 30 s'), 30000)
    ws.binaryType = 'nodebuffer'
    ws.on('open', () => ws.send(authMessage(doc)))
    ws.on('message', (data) => {
      const pos = { i: 0 }
      readVarString(data, pos)
      const type = readVarUint(data, pos)
      if (type === AUTH) {
        const sub = readVarUint(data, pos)
        if (sub === 2) ws.send(syncStep1Message(doc)) // Authenticated
        else finish(false, `auth message ${sub}`)
      } else if (type === SYNC && readVarUint(data, pos) === 1) {
        finish(true) // SyncStep2
      }
    })
    ws.on('error', (e) => { state.errors++; state.lastError = String(e.message || e); finish(false, String(e.message || e)) })
    ws.on('close', (code) => { state.closed++; state.lastClose = code; finish(false, `closed ${code}`) })
  })
}

function heapOfQuire(pid) {
  execFileSync('jcmd', [pid, 'GC.run'], { encoding: 'utf8' })
  const info = execFileSync('jcmd', [pid, 'GC.heap_info'], { encoding: 'utf8' })
  // G1 prints one "total ..K, used ..K" line for the heap, Serial and Parallel one per generation: sum them
  const used = [...info.matchAll(/total (\d+)K, used (\d+)K/g)].reduce((sum, m) => sum + Number(m[2]), 0)
  if (!/total \d+K, used \d+K/.test(info)) throw new Error(`cannot read jcmd GC.heap_info: ${info}`)
  return used * 1024
}

async function heapOfHocuspocus(url) {
  const r = await fetch(url)
  return (await r.json()).heapUsed
}

function rssOf(pid) {
  if (!pid) return null
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)
  return m ? Number(m[1]) * 1024 : null
}

async function capacity() {
  const label = opt('label')
  const url = opt('url')
  const counts = opt('counts').split(',').map(Number)
  const docs = Number(opt('docs', '100'))
  const hold = Number(opt('hold', '5'))
  const jcmdPid = opt('jcmd', '')
  const statsUrl = opt('stats-url', '')
  const pid = opt('pid', jcmdPid)
  const deflate = opt('deflate', 'on') === 'on'
  const heap = async () => (jcmdPid ? heapOfQuire(jcmdPid) : heapOfHocuspocus(statsUrl))
  const state = { errors: 0, closed: 0, lastError: null, lastClose: null }

  const baseline = { heap: await heap(), rss: rssOf(pid) }
  const levels = []
  const sockets = []
  let failed = null
  const loadStart = loadavg()
  for (const count of counts) {
    const t0 = performance.now()
    while (sockets.length < count && !failed) {
      const batch = []
      for (let k = 0; k < 100 && sockets.length + batch.length < count; k++) {
        const i = sockets.length + batch.length
        batch.push(openIdle(url, `${label}-cap-${i % docs}`, state, deflate))
      }
      for (const r of await Promise.all(batch)) {
        sockets.push(r.ws)
        if (!r.ok && !failed) failed = r.why
      }
    }
    const openSeconds = (performance.now() - t0) / 1000
    if (!failed) {
      const closedBefore = state.closed
      await sleep(hold * 1000)
      if (state.closed > closedBefore) failed = `${state.closed - closedBefore} sockets closed while idle (last code ${state.lastClose})`
    }
    const h = await heap()
    const rss = rssOf(pid)
    levels.push({
      count, opened: sockets.length, ok: !failed, failure: failed, openSeconds: +openSeconds.toFixed(1),
      heapUsed: h, heapPerConnection: Math.round((h - baseline.heap) / sockets.length),
      rss, rssPerConnection: rss && baseline.rss ? Math.round((rss - baseline.rss) / sockets.length) : null,
      load: loadavg(),
    })
    process.stderr.write(`${label}: ${JSON.stringify(levels[levels.length - 1])}\n`)
    if (failed) break
  }
  for (const ws of sockets) ws.terminate()
  console.log(JSON.stringify({ label, mode: 'capacity', url, deflateOffered: deflate, extensions: sockets[0]?.extensions ?? null, docs, hold, baseline, levels, errors: state.errors, lastError: state.lastError, loadStart, loadEnd: loadavg() }))
}

if (mode === 'latency') await latency()
else if (mode === 'capacity') await capacity()
else throw new Error('usage: bench-latency.mjs latency|capacity ...')
process.exit(0)
