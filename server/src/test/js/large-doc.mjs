// A new client joins a large document (issue 5, y-redis/y-hub #55): a real v4 provider connects, and we record
// when it is synced, every frame it receives (count, largest) and any close or disconnect on the way.
// usage: node large-doc.mjs <ws-url> <document>
// stdout: one JSON line {event: "result", syncedMs, frames, largestFrame, textLength, sha256, xmlSha256, localUpdates,
// closes, ...}: the hashes are of the text "content" and of the XML fragment "default" as yjs renders them;
// localUpdates counts changes the client's own document made (yjs's cleanup of format marks after a remote
// transaction deletes marks it finds redundant: on a partly received text it would delete marks the document needs).
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { createHash } from 'node:crypto'
import { until } from './lib.mjs'

const [url, name] = process.argv.slice(2)
const t0 = performance.now()
const out = { frames: 0, bytes: 0, largestFrame: 0, closes: [], disconnects: 0, firstFrameMs: null }
const doc = new Y.Doc()
const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket })
websocketProvider.on('message', (e) => {
  const data = e?.data ?? e?.event?.data // v4 passes the MessageEvent itself
  const n = data.byteLength ?? data.length
  if (out.firstFrameMs == null) out.firstFrameMs = Math.round(performance.now() - t0)
  out.frames++
  out.bytes += n
  out.largestFrame = Math.max(out.largestFrame, n)
})
websocketProvider.on('close', (e) => out.closes.push(e?.event?.code ?? null))
websocketProvider.on('disconnect', () => { out.disconnects++ })
const provider = new HocuspocusProvider({ websocketProvider, name, document: doc })
out.localUpdates = 0
doc.on('update', (update, origin) => { if (origin !== provider) out.localUpdates++ })
provider.attach()
out.synced = await until(() => provider.synced, 120000)
out.syncedMs = Math.round(performance.now() - t0)
const text = doc.getText('content').toString()
out.textLength = text.length
out.sha256 = createHash('sha256').update(text, 'utf8').digest('hex')
out.xmlSha256 = createHash('sha256').update(doc.getXmlFragment('default').toString(), 'utf8').digest('hex')
// stay connected a little longer: a stalled or dropped socket would show up here
await new Promise((resolve) => setTimeout(resolve, 1000))
out.unsynced = provider.unsyncedChanges
provider.destroy()
websocketProvider.destroy()
process.stdout.write(JSON.stringify({ event: 'result', ...out }) + '\n')
process.exit(0)
