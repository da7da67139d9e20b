#!/usr/bin/env node
/**
 * Smallest V8 heap with which yjs 13.6.33 applies a trace as local edits (the Node side of
 * DocumentHeap's smallest -Xmx bisection):
 *
 *   node min-heap-document.mjs <trace.json.gz> <outDir> [<state-v1.bin>]
 *
 * Writes the trace to <outDir>/trace-utf16.bin in DocumentTrace.writeBinary's layout (big-endian:
 * int txnCount; per txn int patchCount, per patch int pos, int del, int n, n UTF-16 chars; then int n,
 * n chars of endContent), which a child reads into a Buffer: Buffer memory is outside the V8 heap, so the
 * heap holds only yjs, the document and its garbage, as in the Java child that maps the same layout.
 * Then bisects, in 1 MB steps, the smallest --max-old-space-size (with --max-semi-space-size=1, i.e. a
 * young generation of a few MB on top) with which a child succeeds at each task:
 *   empty   start Node, import yjs, exit (the floor)
 *   apply   apply the trace as local edits (one transaction per txn, clientID 1, gc on) and check the end text
 *   decode  read <state-v1.bin> (if given) and Y.applyUpdate it to a fresh doc
 * Prints JSON to stdout.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SEMI_SPACE_MB = 1

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4])
} else {
  parent(process.argv.slice(2))
}

async function child (task, file) {
  const Y = await import('yjs')
  if (task === 'empty') process.exit(0)
  const doc = new Y.Doc({ gc: true })
  doc.clientID = 1
  if (task === 'decode') {
    Y.applyUpdate(doc, fs.readFileSync(file))
    process.exit(doc.getText('text').length > 0 ? 0 : 3)
  }
  const buf = fs.readFileSync(file)
  let off = 0
  const int = () => { const v = buf.readInt32BE(off); off += 4; return v }
  const chars = (n) => {
    let s = ''
    for (let i = 0; i < n; i++) { s += String.fromCharCode(buf.readUInt16BE(off)); off += 2 }
    return s
  }
  const text = doc.getText('text')
  const txns = int()
  for (let t = 0; t < txns; t++) {
    const patches = int()
    doc.transact(() => {
      for (let i = 0; i < patches; i++) {
        const pos = int()
        const del = int()
        const ins = chars(int())
        if (del > 0) text.delete(pos, del)
        if (ins.length > 0) text.insert(pos, ins)
      }
    })
  }
  const end = text.toString()
  const n = int()
  if (end.length !== n) process.exit(3)
  for (let i = 0; i < n; i++) {
    if (end.charCodeAt(i) !== buf.readUInt16BE(off)) process.exit(3)
    off += 2
  }
  process.exit(0)
}

function parent (args) {
  const [tracePath, outDir, stateFile] = args
  if (!tracePath || !outDir) {
    console.error('usage: node min-heap-document.mjs <trace.json.gz> <outDir> [<state-v1.bin>]')
    process.exit(2)
  }
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(tracePath)).toString('utf8'))
  const parts = []
  const int = (v) => { const b = Buffer.alloc(4); b.writeInt32BE(v); parts.push(b) }
  const chars = (s) => { int(s.length); const b = Buffer.alloc(2 * s.length); for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), 2 * i); parts.push(b) }
  int(trace.txns.length)
  for (const txn of trace.txns) {
    int(txn.patches.length)
    for (const [pos, del, ins] of txn.patches) { int(pos); int(del); chars(ins || '') }
  }
  chars(trace.endContent)
  fs.mkdirSync(outDir, { recursive: true })
  const traceFile = path.join(outDir, 'trace-utf16.bin')
  fs.writeFileSync(traceFile, Buffer.concat(parts))

  const self = fileURLToPath(import.meta.url)
  const run = (task, mb) => spawnSync(process.execPath,
    [`--max-old-space-size=${mb}`, `--max-semi-space-size=${SEMI_SPACE_MB}`, self, '--child', task, task === 'decode' ? stateFile : traceFile],
    { stdio: 'ignore' }).status === 0
  const smallest = (task) => {
    let lo = 1
    let hi = 256
    if (!run(task, hi)) throw new Error(`${task} fails even with --max-old-space-size=${hi}`)
    while (hi - lo > 1) { // lo fails, hi succeeds
      const mid = Math.floor((lo + hi) / 2)
      if (run(task, mid)) hi = mid
      else lo = mid
    }
    console.error(`  smallest --max-old-space-size for ${task}: ${hi} MB`)
    return hi
  }
  const tasks = stateFile ? ['empty', 'apply', 'decode'] : ['empty', 'apply']
  const minOldSpaceMb = Object.fromEntries(tasks.map((t) => [t, smallest(t)]))
  console.log(JSON.stringify({
    method: `child processes node --max-old-space-size=<N> --max-semi-space-size=${SEMI_SPACE_MB}, bisection in 1 MB steps; ` +
      'empty = import yjs and exit, apply = apply the trace as local edits from a Buffer (off the V8 heap) and check the end text, ' +
      'decode = Y.applyUpdate of the v1 state to a fresh doc',
    node: process.version,
    semiSpaceMb: SEMI_SPACE_MB,
    minOldSpaceMb
  }, null, 2))
}
