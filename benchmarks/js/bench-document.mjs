#!/usr/bin/env node
/**
 * Times yjs 13.6.33's document model on a sequential editing trace (issue 3), in one run:
 *
 *   node --expose-gc bench-document.mjs <trace.json.gz> <outDir> [--runs N] [--warmup N]
 *
 *   applyTraceAsLocalEdits  a fresh Y.Doc({gc: true}) with clientID 1; every trace txn is one doc.transact
 *                           on doc.getText('text') (delete, then insert, per patch, as record-trace.mjs)
 *   encodeStateV1 / V2      Y.encodeStateAsUpdate(doc) / Y.encodeStateAsUpdateV2(doc) of that document
 *   applyEncodedState       Y.applyUpdate(fresh Y.Doc({gc: true}), v1 state)
 *   applyEncodedStateV2     Y.applyUpdateV2(fresh Y.Doc({gc: true}), v2 state) (extra, not a goal)
 * Each is the median of N timed runs after W warmup runs (process.hrtime.bigint, gc() before every run
 * when --expose-gc is given).
 *
 * Memory (needs --expose-gc): process.memoryUsage().heapUsed after gc() (three times) with the finished
 * document alive, minus the same before the document was created: the heap the document retains. Done
 * for the locally edited document and for a document that applied the v1 state. Also the largest
 * heapUsed sampled (without gc) every 1,000 txns while applying the trace, minus the baseline: a rough
 * "peak", garbage included.
 *
 * Writes <outDir>/node-state-v1.bin and node-state-v2.bin (the encoded states, for byte comparison),
 * and the results as JSON to stdout and <outDir>/node-document.json. Exits 1 if the text differs from
 * the trace's endContent or the decoded document differs from the original.
 */
import * as Y from 'yjs'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'

const argv = process.argv.slice(2)
const positional = []
let runs = 7
let warmup = 3
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') runs = parseInt(argv[++i], 10)
  else if (argv[i] === '--warmup') warmup = parseInt(argv[++i], 10)
  else positional.push(argv[i])
}
const [tracePath, outDir] = positional
if (!tracePath || !outDir || positional.length > 2 || !(runs >= 1) || !(warmup >= 0)) {
  console.error('usage: node --expose-gc bench-document.mjs <trace.json.gz> <outDir> [--runs N] [--warmup N]')
  process.exit(2)
}
const require = createRequire(import.meta.url)
const yjsVersion = require('yjs/package.json').version
const hasGc = typeof global.gc === 'function'
const gc = hasGc ? () => { global.gc(); global.gc(); global.gc() } : () => {}

const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(tracePath)).toString('utf8'))
if (trace.startContent !== undefined && trace.startContent !== '') {
  throw new Error('trace has a non-empty startContent')
}
const txns = trace.txns.map((t) => t.patches)

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex')
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const round = (x) => Math.round(x * 1000) / 1000

/** Runs fn warmup + n times (setup() untimed before each); returns {ms: median, runsMs, result of the last run}. */
function time (name, setup, fn) {
  let result
  for (let i = 0; i < warmup; i++) { const s = setup(); gc(); result = fn(s) }
  const runsMs = []
  for (let i = 0; i < runs; i++) {
    const s = setup()
    gc()
    const t0 = process.hrtime.bigint()
    result = fn(s)
    runsMs.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  const ms = median(runsMs)
  console.error(`  ${name}: median ${ms.toFixed(2)} ms of ${runs} (${runsMs.map((x) => x.toFixed(1)).join(' / ')}), ${warmup} warmup`)
  return { ms: round(ms), runsMs: runsMs.map(round), warmup, result }
}

function newDoc () {
  const doc = new Y.Doc({ gc: true })
  doc.clientID = 1
  return doc
}

/** The trace as local edits: one transaction per txn. onTxn(i) is called after txn i if given. */
function applyTrace (doc, onTxn) {
  const text = doc.getText('text')
  for (let i = 0; i < txns.length; i++) {
    const patches = txns[i]
    doc.transact(() => {
      for (const [pos, del, ins] of patches) {
        if (del > 0) text.delete(pos, del)
        if (ins && ins.length > 0) text.insert(pos, ins)
      }
    })
    if (onTxn !== undefined) onTxn(i)
  }
  return doc
}

function structCount (doc) {
  let n = 0
  doc.store.clients.forEach((structs) => { n += structs.length })
  return n
}

console.error(`yjs ${yjsVersion}, node ${process.version}: ${path.basename(tracePath)}, ${txns.length} txns, runs=${runs}, warmup=${warmup}${hasGc ? '' : ' (no --expose-gc: no memory figures)'}`)
const results = {}

// (1) the trace as local edits
const local = time('applyTraceAsLocalEdits', newDoc, (doc) => applyTrace(doc))
const doc = local.result
const finalText = doc.getText('text').toString()
if (finalText !== trace.endContent) {
  console.error(`FAIL: text after the trace (${finalText.length} chars) differs from endContent (${trace.endContent.length} chars)`)
  process.exit(1)
}
results.applyTraceAsLocalEdits = { ms: local.ms, runsMs: local.runsMs, warmup: local.warmup }

// (2) encode (v1, v2)
const v1 = time('encodeStateV1', () => doc, (d) => Y.encodeStateAsUpdate(d))
const v2 = time('encodeStateV2', () => doc, (d) => Y.encodeStateAsUpdateV2(d))
const stateV1 = v1.result
const stateV2 = v2.result
fs.mkdirSync(outDir, { recursive: true })
fs.writeFileSync(path.join(outDir, 'node-state-v1.bin'), stateV1)
fs.writeFileSync(path.join(outDir, 'node-state-v2.bin'), stateV2)
results.encodeStateV1 = { ms: v1.ms, runsMs: v1.runsMs, warmup: v1.warmup, bytes: stateV1.length, sha256: sha256(stateV1) }
results.encodeStateV2 = { ms: v2.ms, runsMs: v2.runsMs, warmup: v2.warmup, bytes: stateV2.length, sha256: sha256(stateV2) }

// (3) apply the encoded state to a fresh document
const applied = time('applyEncodedState', newDoc, (d) => { Y.applyUpdate(d, stateV1); return d })
const appliedV2 = time('applyEncodedStateV2', newDoc, (d) => { Y.applyUpdateV2(d, stateV2); return d })
for (const [name, d] of [['v1', applied.result], ['v2', appliedV2.result]]) {
  const t = d.getText('text').toString()
  const again = Y.encodeStateAsUpdate(d)
  if (t !== trace.endContent || sha256(again) !== results.encodeStateV1.sha256) {
    console.error(`FAIL: the document that applied the ${name} state differs (text ${t.length} chars, re-encoded ${again.length} bytes)`)
    process.exit(1)
  }
}
results.applyEncodedState = { ms: applied.ms, runsMs: applied.runsMs, warmup: applied.warmup }
results.applyEncodedStateV2 = { ms: appliedV2.ms, runsMs: appliedV2.runsMs, warmup: appliedV2.warmup }

// (4) memory: heap retained by a finished document (heapUsed after gc, document alive, minus before)
let memory = null
if (hasGc) {
  const heapNow = () => { gc(); return process.memoryUsage().heapUsed }
  const retained = (build) => {
    const before = heapNow()
    const kept = build()
    const after = heapNow()
    const size = kept.getText('text').length // keeps the document reachable until after the measurement
    return { bytes: after - before, textLength: size }
  }
  const samples = []
  for (let i = 0; i < 3; i++) {
    const localRetained = retained(() => applyTrace(newDoc()))
    const decodedRetained = retained(() => { const d = newDoc(); Y.applyUpdate(d, stateV1); return d })
    samples.push({ local: localRetained.bytes, decoded: decodedRetained.bytes })
  }
  // rough peak while applying the trace: largest heapUsed seen (no gc) every 1,000 txns, minus baseline
  const base = heapNow()
  let peak = 0
  applyTrace(newDoc(), (i) => {
    if (i % 1000 === 0) {
      const h = process.memoryUsage().heapUsed
      if (h > peak) peak = h
    }
  })
  memory = {
    method: 'process.memoryUsage().heapUsed after 3x gc() with the document alive minus before creating it (median of 3)',
    retainedLocalEditsDocBytes: median(samples.map((s) => s.local)),
    retainedDecodedDocBytes: median(samples.map((s) => s.decoded)),
    samples,
    sampledPeakHeapUsedAboveBaselineBytes: peak - base,
    heapUsedBaselineBytes: base,
    rss: process.memoryUsage().rss
  }
  console.error(`  retained heap: local-edit doc ${(memory.retainedLocalEditsDocBytes / 1e6).toFixed(2)} MB, decoded doc ${(memory.retainedDecodedDocBytes / 1e6).toFixed(2)} MB; sampled peak during the trace ${(memory.sampledPeakHeapUsedAboveBaselineBytes / 1e6).toFixed(1)} MB above baseline`)
}

const out = {
  yjs: yjsVersion,
  node: process.version,
  exposeGc: hasGc,
  trace: path.basename(tracePath),
  txns: txns.length,
  runs,
  warmup,
  endTextLength: finalText.length,
  endTextSha256: sha256(Buffer.from(finalText, 'utf8')),
  endTextEqualsEndContent: true,
  structs: structCount(doc),
  stateVector: Object.fromEntries(Y.decodeStateVector(Y.encodeStateVector(doc))),
  results,
  memory
}
const json = JSON.stringify(out, null, 2)
fs.writeFileSync(path.join(outDir, 'node-document.json'), json + '\n')
console.log(json)
