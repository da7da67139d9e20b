// A late joiner: connects with @hocuspocus/provider, waits for the initial sync and prints the document.
// usage: node read-document.mjs <ws-url> <document> [token]
// prints one JSON line: {ok, text, map, error?}
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import WebSocket from 'ws'

const [url, name, token = ''] = process.argv.slice(2)
const doc = new Y.Doc()
const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket })
const provider = new HocuspocusProvider({ websocketProvider, name, document: doc, token })
provider.attach()
const out = {}
const end = Date.now() + 20000
while (!provider.synced && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
out.ok = provider.synced
if (!out.ok) out.error = 'not synced within 20 s'
out.text = doc.getText('content').toString()
out.map = doc.getMap('meta').toJSON()
provider.destroy()
websocketProvider.destroy()
process.stdout.write(JSON.stringify(out) + '\n')
process.exit(0)
