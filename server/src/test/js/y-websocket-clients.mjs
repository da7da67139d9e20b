// Two real y-websocket clients (WebsocketProvider) edit one document through a Quire front's /yjs endpoint.
// usage: node y-websocket-clients.mjs <ws-base-url e.g. ws://127.0.0.1:8080/yjs> <document> [token]
// prints one JSON line: {ok, textA, textB, error?}
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import WebSocket from 'ws'

const [base, room, token] = process.argv.slice(2)
const params = token ? { token } : {}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
function client () {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(base, room, doc, { WebSocketPolyfill: WebSocket, params, disableBc: true })
  return { doc, provider }
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
const a = client()
const b = client()
try {
  await until('synced', () => a.provider.synced && b.provider.synced)
  a.doc.getText('content').insert(0, 'plain A. ')
  b.doc.getText('content').insert(0, 'plain B. ')
  await until('converged', () => {
    const t = a.doc.getText('content').toString()
    return t === b.doc.getText('content').toString() && t.includes('plain A') && t.includes('plain B')
  })
  out.ok = true
} catch (e) {
  out.ok = false
  out.error = String(e)
}
out.textA = a.doc.getText('content').toString()
out.textB = b.doc.getText('content').toString()
a.provider.destroy()
b.provider.destroy()
process.stdout.write(JSON.stringify(out) + '\n')
process.exit(0)
