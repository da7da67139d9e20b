// Applies updates to fresh real yjs documents, so that Java tests can check that yjs accepts the updates
// the Java document model makes and see what yjs ends with (state, pending structs, rendering).
// stdin: one JSON object per line {id, gc, clientID, updates: [base64 v1...], roots: {name: kind}, typeRootsFirst?}
//        (typeRootsFirst: the roots are typed before the updates are applied, as an editor binds them before it syncs;
//        yjs cleans up format items after remote transactions only in a typed Y.Text)
// stdout: one JSON object per line {id, state: base64 encodeStateAsUpdate, stateVector: base64,
//         pendingStructs: bool, pendingDs: bool, json: {name: value}, error?: string}
// json renders text and xmlFragment roots with toString(), map and array roots with toJSON()
import * as Y from 'yjs'
import { createInterface } from 'node:readline'

const b64 = (u8) => Buffer.from(u8).toString('base64')
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of rl) {
  if (!line.trim()) continue
  const c = JSON.parse(line)
  const out = { id: c.id }
  try {
    const doc = new Y.Doc({ gc: c.gc })
    doc.clientID = c.clientID
    const typed = (name, kind) => kind === 'text' ? doc.getText(name) : kind === 'map' ? doc.getMap(name)
      : kind === 'array' ? doc.getArray(name) : doc.getXmlFragment(name)
    if (c.typeRootsFirst) for (const [name, kind] of Object.entries(c.roots || {})) typed(name, kind)
    for (const u of c.updates) Y.applyUpdate(doc, Buffer.from(u, 'base64'))
    out.state = b64(Y.encodeStateAsUpdate(doc))
    out.stateVector = b64(Y.encodeStateVector(doc))
    out.pendingStructs = doc.store.pendingStructs !== null
    out.pendingDs = doc.store.pendingDs !== null
    out.json = {}
    for (const [name, kind] of Object.entries(c.roots || {})) {
      const type = typed(name, kind)
      out.json[name] = kind === 'map' || kind === 'array' ? type.toJSON() : type.toString()
    }
  } catch (e) {
    out.error = String(e && e.stack || e)
  }
  process.stdout.write(JSON.stringify(out) + '\n')
}
