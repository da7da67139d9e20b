#!/usr/bin/env node
/**
 * Times yjs 13.6.33's update operations on the per-edit updates written by record-trace.mjs.
 *
 *   node --expose-gc bench-updates.mjs <outDir> [--runs N] [--quick]
 *
 * Reads <outDir>/updates.bin and measures, each as the median of N timed runs after warmup runs
 * (process.hrtime.bigint, a full GC before each run when --expose-gc is given):
 *   mergeOneCall16k / mergeOneCall32k  Y.mergeUpdates(first 16,000 / 32,000 updates) in ONE call
 *                                     (one call over all 259,778 takes ~17 min in yjs, so it is not run)
 *   mergeChunked   Y.mergeUpdates over chunks of 1,000 consecutive updates, then one Y.mergeUpdates
 *                  over the chunk results (phase times reported too)
 *   stateVector    Y.encodeStateVectorFromUpdate(merged), merged = the chunked result
 *   diffHalf       Y.diffUpdate(merged, sv) with sv = {client 1: floor(total clock / 2)}, total clock
 *                  taken from the state vector above
 * Writes every output to <outDir>/node-<op>.bin (for byte-level comparison with Java) and the results
 * as JSON to stdout and to <outDir>/node-results.json.
 */
import * as Y from 'yjs'
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'

const argv = process.argv.slice(2)
let outDir = null
let runs = 5
let quick = false
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') runs = parseInt(argv[++i], 10)
  else if (argv[i] === '--quick') quick = true
  else if (outDir === null) outDir = argv[i]
  else { console.error(`unexpected argument ${argv[i]}`); process.exit(2) }
}
if (!outDir) {
  console.error('usage: node --expose-gc bench-updates.mjs <outDir> [--runs N] [--quick]')
  process.exit(2)
}
const require = createRequire(import.meta.url)
const yjsVersion = require('yjs/package.json').version

const CHUNK = 1000
const PREFIXES = quick ? [1000, 4000] : [16000, 32000]

function readUpdates (file) {
  const buf = fs.readFileSync(file)
  const out = []
  let off = 0
  while (off < buf.length) {
    const len = buf.readUInt32BE(off)
    off += 4
    out.push(new Uint8Array(buf.buffer, buf.byteOffset + off, len))
    off += len
  }
  return out
}

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex')
const gc = typeof global.gc === 'function' ? global.gc : () => {}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const round = (x) => Math.round(x * 1000) / 1000

/** Runs fn warmup + n times; returns {ms: median, runsMs, result of the last run}. */
function time (name, warmup, n, fn) {
  let result
  for (let i = 0; i < warmup; i++) { gc(); result = fn() }
  const runsMs = []
  for (let i = 0; i < n; i++) {
    gc()
    const t0 = process.hrtime.bigint()
    result = fn()
    runsMs.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  const ms = median(runsMs)
  console.error(`  ${name}: median ${ms.toFixed(2)} ms of ${n} (${runsMs.map((x) => x.toFixed(1)).join(' / ')}), ${warmup} warmup`)
  return { ms: round(ms), runsMs: runsMs.map(round), warmup, result }
}

function record (results, name, t, bytes) {
  fs.writeFileSync(path.join(outDir, `node-${name}.bin`), bytes)
  results[name] = { ms: t.ms, runsMs: t.runsMs, warmup: t.warmup, bytes: bytes.length, sha256: sha256(bytes) }
}

const updates = readUpdates(path.join(outDir, 'updates.bin'))
console.error(`yjs ${yjsVersion}, node ${process.version}: ${updates.length} updates, runs=${runs}${typeof global.gc === 'function' ? '' : ' (no --expose-gc)'}`)
const results = {}

// (1) ONE merge call over a prefix. Quadratic in yjs: 16k ~2 s, 32k ~9 s per call.
for (const [i, n] of PREFIXES.entries()) {
  const input = updates.slice(0, n)
  const nRuns = n >= 32000 ? Math.min(runs, 3) : runs
  const t = time(`mergeOneCall(first ${n})`, i === 0 ? 1 : 0, nRuns, () => Y.mergeUpdates(input))
  record(results, `mergeOneCall${n / 1000}k`, t, t.result)
}

// (2) chunked merge: chunks of 1000, then one merge of the chunk results
const chunks = []
for (let i = 0; i < updates.length; i += CHUNK) chunks.push(updates.slice(i, i + CHUNK))
let phase1 = []
let phase2 = []
const chunked = time('mergeChunked', 1, runs, () => {
  const t0 = process.hrtime.bigint()
  const parts = chunks.map((c) => Y.mergeUpdates(c))
  const t1 = process.hrtime.bigint()
  const merged = Y.mergeUpdates(parts)
  phase1.push(Number(t1 - t0) / 1e6)
  phase2.push(Number(process.hrtime.bigint() - t1) / 1e6)
  return merged
})
phase1 = phase1.slice(1)
phase2 = phase2.slice(1)
const merged = chunked.result
record(results, 'mergeChunked', chunked, merged)
results.mergeChunked.chunks = chunks.length
results.mergeChunked.chunkMergesMedianMs = round(median(phase1))
results.mergeChunked.finalMergeMedianMs = round(median(phase2))

// (3) state vector of the fully merged update
const svRuns = Math.max(runs, 10)
const sv = time('encodeStateVectorFromUpdate', 3, svRuns, () => Y.encodeStateVectorFromUpdate(merged))
record(results, 'stateVector', sv, sv.result)
const svMap = Y.decodeStateVector(sv.result)
const totalClock = svMap.get(1)
const halfClock = Math.floor(totalClock / 2)
const halfSv = Y.encodeStateVector(new Map([[1, halfClock]]))

// (4) diff against the state vector at half the clock
const diff = time('diffUpdate(half)', 3, svRuns, () => Y.diffUpdate(merged, halfSv))
record(results, 'diffHalf', diff, diff.result)

const out = {
  yjs: yjsVersion,
  node: process.version,
  exposeGc: typeof global.gc === 'function',
  updates: updates.length,
  chunkSize: CHUNK,
  prefixes: PREFIXES,
  runs,
  stateVector: Object.fromEntries(svMap),
  totalClock,
  halfClock,
  halfSvBase64: Buffer.from(halfSv).toString('base64'),
  results
}
const json = JSON.stringify(out, null, 2)
fs.writeFileSync(path.join(outDir, 'node-results.json'), json + '\n')
console.log(json)
