// Two real @hocuspocus/provider clients edit one document through a Quire front and must converge.
// usage: node two-clients.mjs <ws-url> <document> [token] [ws-url-of-client-B]
// (with a second URL, client B connects to another front: the two converge through Kafka)
// prints one JSON line: {ok, textA, textB, mapB, unsyncedA, unsyncedB, awarenessSeenByB, error?}
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import WebSocket from 'ws'

const [url, name, token = '', urlB = url] = process.argv.slice(2)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function client (label, url) {
  const doc = new Y.Doc()
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket })
  const provider = new HocuspocusProvider({ websocketProvider, name, document: doc, token })
  provider.attach() // a provider given its own websocket provider attaches explicitly (v3+)
  provider.awareness.setLocalStateField('user', label)
  return { doc, provider, websocketProvider }
}

async function until (what, cond, ms = 20000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (cond()) return
    await sleep(20)
  }
  throw new Error('timed out waiting for ' + what)
}

const out = {}
const a = client('A', url)
const b = client('B', urlB)
try {
  await until('both synced', () => a.provider.synced && b.provider.synced)
  a.doc.getText('content').insert(0, 'hello from A. ')
  b.doc.getText('content').insert(0, 'hi from B. ')
  a.doc.getMap('meta').set('title', 'Quire 😀')
  await until('texts converge', () => {
    const ta = a.doc.getText('content').toString()
    return ta === b.doc.getText('content').toString() && ta.includes('hello from A') && ta.includes('hi from B') &&
      b.doc.getMap('meta').get('title') === 'Quire 😀'
  })
  await until('acknowledged', () => !a.provider.hasUnsyncedChanges && !b.provider.hasUnsyncedChanges)
  if (url === urlB || process.env.QUIRE_EXPECT_CROSS_FRONT_AWARENESS) { // across fronts it travels over Redis
    await until('awareness', () => [...b.provider.awareness.getStates().values()].some((s) => s.user === 'A'))
  }
  out.ok = true
} catch (e) {
  out.ok = false
  out.error = String(e)
}
out.textA = a.doc.getText('content').toString()
out.textB = b.doc.getText('content').toString()
out.mapB = b.doc.getMap('meta').toJSON()
out.unsyncedA = a.provider.unsyncedChanges
out.unsyncedB = b.provider.unsyncedChanges
out.awarenessSeenByB = [...b.provider.awareness.getStates().values()].map((s) => s.user)
for (const c of [a, b]) {
  c.provider.destroy()
  c.websocketProvider.destroy()
}
process.stdout.write(JSON.stringify(out) + '\n')
process.exit(0)
