// Kafka outage during an editing session (issue 5): writer A and observer B on one front, one document.
// usage: node kafka-outage.mjs <ws-url> <document> [<ws-url of B>]   (B on another front: the relay through Redis)
// A inserts 5 markers and waits until they are acknowledged ("ready"). The driving test writes lines to stdin:
//   "down"  Kafka was just killed: A inserts 10 more markers, 300 ms apart; 2 s later "during" reports A's
//           unacknowledged changes and which markers B already has.
//   "up"    Kafka runs again: wait up to 90 s until A has no unacknowledged change and B has every marker.
// Every socket close / disconnect is reported with its client and code. stdout: JSON lines {event, t, ...};
// the last line is {event: "result", ...}.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import WebSocket from 'ws'
import readline from 'node:readline'
import { sleep, until } from './lib.mjs'

const [url, name, urlB = url] = process.argv.slice(2)
const t0 = Date.now()
const now = () => Date.now() - t0
const emit = (o) => process.stdout.write(JSON.stringify({ t: now(), ...o }) + '\n')

const closes = []
function client (label, url) {
  const doc = new Y.Doc()
  // maxDelay: reconnect attempts at most 2 s apart (default 30 s), so the test does not wait on the back-off
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, maxDelay: 2000 })
  websocketProvider.on('close', (e) => {
    const c = { client: label, code: e?.event?.code, reason: String(e?.event?.reason ?? '') }
    closes.push(c)
    emit({ event: 'close', ...c })
  })
  const provider = new HocuspocusProvider({ websocketProvider, name, document: doc })
  provider.attach()
  provider.awareness.setLocalStateField('user', label)
  return { label, doc, provider, websocketProvider }
}

const commands = []
readline.createInterface({ input: process.stdin }).on('line', (l) => commands.push(l.trim()))
const command = (c, ms) => until(() => commands.includes(c), ms)

const a = client('A', url)
const b = client('B', urlB)
const text = (c) => c.doc.getText('content').toString()
const markers = []
const insert = (m) => {
  const t = a.doc.getText('content')
  t.insert(t.length, m)
  markers.push(m)
}
const out = {}
try {
  if (!await until(() => a.provider.synced && b.provider.synced, 20000)) throw new Error('not synced in 20 s')
  for (let i = 0; i < 5; i++) { insert(`<a${i}>`); await sleep(200) }
  if (!await until(() => a.provider.unsyncedChanges === 0 && markers.every((m) => text(b).includes(m)), 20000)) {
    throw new Error(`the first edits were not acknowledged: unsynced ${a.provider.unsyncedChanges}`)
  }
  emit({ event: 'ready' })

  if (!await command('down', 120000)) throw new Error('no "down" from the test')
  const unsyncedWhileDown = []
  for (let i = 0; i < 10; i++) {
    insert(`<d${i}>`)
    await sleep(300)
    unsyncedWhileDown.push(a.provider.unsyncedChanges)
  }
  await sleep(2000)
  emit({
    event: 'during',
    unsynced: a.provider.unsyncedChanges,
    hasUnsyncedChanges: a.provider.hasUnsyncedChanges,
    unsyncedWhileDown,
    bHas: markers.filter((m) => text(b).includes(m)),
    closes: closes.length
  })

  if (!await command('up', 180000)) throw new Error('no "up" from the test')
  const upAt = now()
  const done = () => a.provider.synced && a.provider.unsyncedChanges === 0 && markers.every((m) => text(b).includes(m)) &&
    text(a) === text(b)
  out.converged = await until(done, 90000)
  out.convergedMsAfterUp = now() - upAt
} catch (e) {
  out.error = String(e)
}
out.markers = markers
out.textA = text(a)
out.textB = text(b)
out.unsyncedA = a.provider.unsyncedChanges
out.closes = closes
out.ok = out.converged === true
for (const c of [a, b]) {
  c.provider.destroy()
  c.websocketProvider.destroy()
}
emit({ event: 'result', ...out })
process.exit(0)
