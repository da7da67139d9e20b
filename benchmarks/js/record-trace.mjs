#!/usr/bin/env node
/**
 * Records a sequential editing trace as yjs 13.6.33 (pinned in package-lock.json) per-edit v1 updates.
 *
 *   node record-trace.mjs <trace.json.gz> <outDir>
 *
 * One Y.Doc with clientID 1, one Y.Text named "text", one doc.transact per trace txn, and
 * doc.on('update') collecting the v1 update each transaction emits. Writes to <outDir>:
 *   updates.bin   the updates in order, each as [uint32 big-endian length][bytes]
 *   final.txt     the document text after the last txn (UTF-8); must equal the trace's endContent
 *   record.json   counts, sizes, sha256 of updates.bin, yjs version
 * Exits non-zero if the replayed text differs from endContent.
 */
import * as Y from 'yjs'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'

const [tracePath, outDir] = process.argv.slice(2)
if (!tracePath || !outDir) {
  console.error('usage: node record-trace.mjs <trace.json.gz> <outDir>')
  process.exit(2)
}
const require = createRequire(import.meta.url)
const yjsVersion = require('yjs/package.json').version

const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(tracePath)).toString('utf8'))
if (trace.startContent !== undefined && trace.startContent !== '') {
  throw new Error('trace has a non-empty startContent')
}

const doc = new Y.Doc({ gc: true })
doc.clientID = 1
const text = doc.getText('text')
const updates = []
doc.on('update', (u) => { updates.push(u) })

const t0 = process.hrtime.bigint()
for (const txn of trace.txns) {
  doc.transact(() => {
    for (const [pos, del, ins] of txn.patches) {
      if (del > 0) text.delete(pos, del)
      if (ins && ins.length > 0) text.insert(pos, ins)
    }
  })
}
const recordMs = Number(process.hrtime.bigint() - t0) / 1e6

const finalText = text.toString()
if (finalText !== trace.endContent) {
  console.error(`replayed text (${finalText.length} chars) differs from endContent (${trace.endContent.length} chars)`)
  process.exit(1)
}

let total = 0
for (const u of updates) total += u.length
const buf = Buffer.allocUnsafe(4 * updates.length + total)
let off = 0
for (const u of updates) {
  buf.writeUInt32BE(u.length, off)
  off += 4
  buf.set(u, off)
  off += u.length
}
fs.mkdirSync(outDir, { recursive: true })
fs.writeFileSync(path.join(outDir, 'updates.bin'), buf)
fs.writeFileSync(path.join(outDir, 'final.txt'), finalText, 'utf8')
const info = {
  trace: path.basename(tracePath),
  yjs: yjsVersion,
  node: process.version,
  txns: trace.txns.length,
  updates: updates.length,
  updateBytesTotal: total,
  updatesBinBytes: buf.length,
  updatesBinSha256: crypto.createHash('sha256').update(buf).digest('hex'),
  finalTextChars: finalText.length,
  stateVector: Object.fromEntries(Y.decodeStateVector(Y.encodeStateVector(doc))),
  recordMs: Math.round(recordMs)
}
fs.writeFileSync(path.join(outDir, 'record.json'), JSON.stringify(info, null, 2) + '\n')
console.log(JSON.stringify(info))
