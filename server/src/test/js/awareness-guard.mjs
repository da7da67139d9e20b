// Awareness a client must not be able to spoil for the others (AwarenessGuardIT): a watcher W on front B, then the
// test's raw client on front A sends awareness the fronts must refuse (not JSON, too many client ids, too large a
// state) and writes "attacked" to stdin. W then edits and must get its edit acknowledged, and two clients joining
// afterwards, one per front, must sync and see the edit. Every exception in this process is reported (a provider
// that receives a state JSON.parse rejects throws from its message handler).
// usage: node awareness-guard.mjs <ws-url-A> <ws-url-B> <document> <token>
// stdout: JSON lines {event: "ready", ...} then {event: "result", ...}.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import WebSocket from 'ws'
import readline from 'node:readline'
import { until } from './lib.mjs'

const [urlA, urlB, name, token] = process.argv.slice(2)
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const errors = []
process.on('uncaughtException', (e) => errors.push(String(e)))
process.on('unhandledRejection', (e) => errors.push(String(e)))
let attacked = false
readline.createInterface({ input: process.stdin }).on('line', (l) => { if (l.trim() === 'attacked') attacked = true })

const clients = []
const seen = new Set() // every awareness client id any of our providers was shown
function client (label, url) {
  const doc = new Y.Doc()
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, maxDelay: 2000 })
  const provider = new HocuspocusProvider({ websocketProvider, name, document: doc, token })
  provider.awareness.on('change', ({ added, updated }) => { for (const id of [...added, ...updated]) seen.add(id) })
  provider.attach()
  provider.awareness.setLocalStateField('user', label)
  const c = { label, doc, provider, websocketProvider }
  clients.push(c)
  return c
}
const text = (c) => c.doc.getText('content').toString()
const sees = (c, label) => [...c.provider.awareness.getStates().values()].some((s) => s?.user === label)

const out = {}
try {
  const w = client('W', urlB)
  if (!await until(() => w.provider.synced, 20000)) throw new Error('W not synced')
  w.doc.getText('content').insert(0, 'before;')
  if (!await until(() => w.provider.unsyncedChanges === 0, 10000)) throw new Error('W\'s first edit not acknowledged')
  emit({ event: 'ready', clientId: w.doc.clientID })
  if (!await until(() => attacked, 60000)) throw new Error('no "attacked" from the test')

  w.doc.getText('content').insert(text(w).length, 'after;')
  out.wEditAcknowledged = await until(() => w.provider.unsyncedChanges === 0, 10000)
  const lateA = client('LA', urlA)
  const lateB = client('LB', urlB)
  for (const c of [lateA, lateB]) {
    out[c.label + 'Synced'] = await until(() => c.provider.synced && text(c).includes('after;'), 15000)
    out[c.label + 'Text'] = text(c)
    out[c.label + 'SeesW'] = await until(() => sees(c, 'W'), 5000)
  }
  out.wSeesLateJoiners = await until(() => sees(w, 'LA') && sees(w, 'LB'), 5000)
} catch (e) {
  out.error = String(e)
}
out.errors = errors
out.seen = [...seen]
out.ownIds = clients.map((c) => c.doc.clientID)
for (const c of clients) {
  c.provider.destroy()
  c.websocketProvider.destroy()
}
emit({ event: 'result', ...out })
process.exit(0)
