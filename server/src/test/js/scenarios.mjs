// Scenarios driving real providers against a Quire front; each prints one JSON line as its last output.
// usage: node scenarios.mjs <scenario> <ws-url> <document> [args...]
//   mixed     : a v2 (2.15.3), a v3 (3.4.4) and a v4 (4.7.0) provider edit one document (text, map, array and
//               XML, concurrently, then again on the merged result) and must converge; a late v4 joiner loads it
//   awareness : B sees A's awareness; A destroys its provider; prints how long until B no longer sees A
//   restart   : two v4 clients insert markers (a few a second) for <ms> ms, then wait to converge (the Java test
//               restarts the front meanwhile); prints every marker inserted and what each client ends with
//   unload    : one Y.Doc, <rounds> times: connect, insert a marker, wait for the acknowledgement, disconnect, wait
//               about the unload delay (<delayMs>, jittered) and reconnect; then a fresh client reads the document
//   extensions: the WebSocket extensions the front accepts from a client that offers permessage-deflate
// Uncaught errors and unhandled rejections of any provider are collected in "uncaught".
import * as v4 from '@hocuspocus/provider'
import * as v3 from 'hocuspocus-provider-v3'
import * as v2 from 'hocuspocus-provider-v2'
import * as Y from 'yjs'
import WebSocket from 'ws'

const [scenario, url, name, ...rest] = process.argv.slice(2)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const uncaught = []
process.on('uncaughtException', (e) => uncaught.push('uncaughtException: ' + (e && e.stack ? e.stack.split('\n')[0] : String(e))))
process.on('unhandledRejection', (e) => uncaught.push('unhandledRejection: ' + String(e)))
const modules = { v2, v3, v4 }

function client (label, version = 'v4', doc = new Y.Doc(), token = 'none') {
  const m = modules[version]
  const websocketProvider = new m.HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, delay: 100, minDelay: 100, maxDelay: 1000 })
  const provider = new m.HocuspocusProvider({ websocketProvider, name, document: doc, token })
  // v3 and v4 providers given a websocket provider attach explicitly; a v2 provider attaches in its constructor
  if (version !== 'v2') provider.attach()
  provider.awareness.setLocalStateField('user', label)
  provider.on('close', (e) => { c.closes.push(e?.event?.code ?? e?.code ?? null) })
  const c = { label, doc, provider, websocketProvider, closes: [] }
  return c
}

function destroy (c) {
  c.provider.destroy()
  c.websocketProvider.destroy()
}

async function until (what, cond, ms = 20000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (cond()) return
    await sleep(10)
  }
  throw new Error('timed out waiting for ' + what)
}

const text = (c) => c.doc.getText('content').toString()
/** Everything the mixed scenario edits, as one comparable string. */
const state = (c) => JSON.stringify({
  text: text(c),
  meta: c.doc.getMap('meta').toJSON(),
  items: c.doc.getArray('items').toJSON(),
  xml: c.doc.getXmlFragment('prosemirror').toString()
})
const out = { ok: false }
const clients = []
try {
  if (scenario === 'mixed') {
    for (const v of ['v2', 'v3', 'v4']) clients.push(client(v, v))
    await until('all synced', () => clients.every((c) => c.provider.synced))
    // concurrent edits of every shared type: text, map, array, and an XML tree shaped like Tiptap's
    for (const c of clients) {
      c.doc.transact(() => {
        c.doc.getText('content').insert(0, `from ${c.label}. `)
        c.doc.getArray('items').insert(0, [c.label, { by: c.label, n: 1 }])
        const p = new Y.XmlElement('paragraph')
        p.setAttribute('data-by', c.label)
        p.insert(0, [new Y.XmlText(`para ${c.label}`)])
        c.doc.getXmlFragment('prosemirror').insert(0, [p])
      })
    }
    clients[0].doc.getMap('meta').set('title', 'mixed 😀')
    const same = () => clients.every((c) => state(c) === state(clients[0]))
    await until('documents converge', () => same() && clients[0].doc.getMap('meta').get('title') === 'mixed 😀' &&
      ['v2', 'v3', 'v4'].every((v) => text(clients[0]).includes(`from ${v}.`) && clients[0].doc.getArray('items').toArray().includes(v)) &&
      clients[0].doc.getXmlFragment('prosemirror').length === 3)
    // then edits on the converged structures: delete an array item, format text inside the XML, move on
    clients[1].doc.getArray('items').delete(0, 1)
    clients[2].doc.getXmlFragment('prosemirror').get(0).get(0).format(0, 4, { bold: true })
    clients[0].doc.getXmlFragment('prosemirror').get(1).setAttribute('data-seen', 'yes')
    await until('second round converges', () => same() && clients[0].doc.getArray('items').length === 5 &&
      clients[0].doc.getXmlFragment('prosemirror').toString().includes('<bold>') && clients[0].doc.getXmlFragment('prosemirror').toString().includes('data-seen'))
    await until('acknowledged', () => clients.every((c) => !c.provider.hasUnsyncedChanges))
    await until('awareness of all', () => clients.every((c) => new Set([...c.provider.awareness.getStates().values()].map((s) => s.user)).size === 3))
    // a late joiner loads the same state
    const late = client('late', 'v4')
    clients.push(late)
    await until('late joiner synced', () => late.provider.synced && state(late) === state(clients[0]))
    await sleep(500) // time for any late frame a provider might throw on
    out.texts = clients.map(text)
    out.states = clients.map(state)
    out.items = clients[0].doc.getArray('items').toJSON()
    out.xml = clients[0].doc.getXmlFragment('prosemirror').toString()
    out.unsynced = clients.slice(0, 3).map((c) => c.provider.unsyncedChanges)
    out.ok = true
  } else if (scenario === 'extensions') {
    // a plain ws client offers permessage-deflate, as browsers do; which extensions did the front accept?
    const ws = new WebSocket(url)
    await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject) })
    out.extensions = ws.extensions
    ws.close()
    out.ok = true
  } else if (scenario === 'awareness') {
    const a = client('A'); const b = client('B'); clients.push(b)
    await until('B sees A', () => [...b.provider.awareness.getStates().values()].some((s) => s.user === 'A'))
    const t0 = Date.now()
    destroy(a)
    await until('A gone from B', () => ![...b.provider.awareness.getStates().values()].some((s) => s.user === 'A'), 35000)
    out.removalMs = Date.now() - t0
    out.ok = true
  } else if (scenario === 'restart') {
    const ms = Number(rest[0] ?? 8000)
    const a = client('A'); const b = client('B'); clients.push(a, b)
    await until('both synced', () => a.provider.synced && b.provider.synced)
    out.ready = Date.now()
    process.stderr.write('READY\n')
    const markers = []
    let i = 0
    const end = Date.now() + ms
    while (Date.now() < end) {
      for (const c of [a, b]) {
        const mk = `[${c.label}${i}]`
        c.doc.getText('content').insert(c.doc.getText('content').length, mk)
        markers.push(mk)
      }
      i++
      await sleep(200)
    }
    out.markers = markers.length
    await until('converge with every marker', () => text(a) === text(b) && markers.every((mk) => text(a).includes(mk)) &&
      a.provider.synced && b.provider.synced && !a.provider.hasUnsyncedChanges && !b.provider.hasUnsyncedChanges, 40000)
    // a fresh client (new socket, new front) reads every marker too: they are stored, not only in the two clients
    const c = client('C'); clients.push(c)
    await until('fresh client has every marker', () => c.provider.synced && markers.every((mk) => text(c).includes(mk)))
    out.missing = markers.filter((mk) => !text(c).includes(mk))
    out.closesA = a.closes
    out.ok = true
  } else if (scenario === 'unload') {
    const rounds = Number(rest[0] ?? 10); const delay = Number(rest[1] ?? 200)
    const doc = new Y.Doc()
    const markers = []
    for (let r = 0; r < rounds; r++) {
      const c = client('R' + r, 'v4', doc)
      await until('synced round ' + r, () => c.provider.synced)
      const mk = `[r${r}]`
      doc.getText('content').insert(doc.getText('content').length, mk)
      markers.push(mk)
      await until('acknowledged round ' + r, () => !c.provider.hasUnsyncedChanges)
      destroy(c)
      // reconnect just before, at, or just after the unload delay
      await sleep(Math.max(0, delay - 60 + Math.floor(Math.random() * 120)))
    }
    const reader = client('reader'); clients.push(reader)
    await until('reader synced', () => reader.provider.synced)
    await sleep(300)
    out.missing = markers.filter((mk) => !text(reader).includes(mk))
    out.markers = markers.length
    out.ok = out.missing.length === 0
  } else {
    throw new Error('unknown scenario ' + scenario)
  }
} catch (e) {
  out.ok = false
  out.error = String(e)
  // what each client had when it failed, to tell a lost edit from a slow or stuck one
  out.clients = clients.map((c) => ({
    label: c.label,
    length: c.doc.getText('content').length,
    synced: c.provider.synced,
    unsynced: c.provider.hasUnsyncedChanges,
    closes: c.closes
  }))
}
out.uncaught = uncaught
for (const c of clients) {
  try { destroy(c) } catch (e) { out.uncaught.push('destroy: ' + String(e)) }
}
process.stdout.write(JSON.stringify(out) + '\n')
process.exit(0)
