#!/usr/bin/env node
/**
 * Builds the markdown report of run-document.sh from the yjs and Java results of one run.
 *
 *   node report-document.mjs <node-document.json> <jmh.json> <heap.json> <check.txt> <machine.txt> [<node-min-heap.json>]
 *
 * Prints the markdown (machine info + tables) to stdout.
 */
import fs from 'node:fs'

const [nodeFile, jmhFile, heapFile, checkFile, machineFile, nodeMinHeapFile] = process.argv.slice(2)
if (!machineFile) {
  console.error('usage: node report-document.mjs <node-document.json> <jmh.json> <heap.json> <check.txt> <machine.txt>')
  process.exit(2)
}
const readJson = (f) => fs.existsSync(f) && fs.statSync(f).size > 0 ? JSON.parse(fs.readFileSync(f, 'utf8')) : null
const node = readJson(nodeFile)
const jmh = readJson(jmhFile) || []
const heap = readJson(heapFile)
const check = fs.existsSync(checkFile) ? fs.readFileSync(checkFile, 'utf8').trim() : ''
const machine = fs.readFileSync(machineFile, 'utf8').trim()
const nodeMin = nodeMinHeapFile ? readJson(nodeMinHeapFile) : null

// The issue's baseline (yjs 13.6.33, Node 20, design/yjs-format.md "Baseline"), for reference.
const BASELINE = { applyTraceAsLocalEdits: 1150, encodeStateV1: 12.8, encodeStateV2: 12.9, applyEncodedState: 50.8, applyEncodedStateV2: 35.1 }

const fmt = (x, digits) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const ms = (x) => x >= 100 ? fmt(x, 0) : x >= 10 ? fmt(x, 1) : fmt(x, 2)
const mb = (b) => `${fmt(b / 1048576, 2)} MB`

function java (method) {
  const r = jmh.find((b) => b.benchmark.endsWith('.' + method))
  if (!r) return null
  return { score: r.primaryMetric.score, error: r.primaryMetric.scoreError, n: r.primaryMetric.rawData.flat().length }
}
const checked = check.includes('[check] Java document equals yjs')

const rows = [
  ['applyTraceAsLocalEdits', 'apply the trace as local edits (259,778 transactions)', true, null],
  ['encodeStateV1', '`encodeStateAsUpdate` (v1)', true, 'encodeStateV1'],
  ['applyEncodedState', 'apply the v1 state to a fresh doc', true, null],
  ['encodeStateV2', '`encodeStateAsUpdateV2` (extra)', false, 'encodeStateV2'],
  ['applyEncodedStateV2', 'apply the v2 state to a fresh doc (extra)', false, null]
]
const out = []
out.push(machine)
out.push('')
out.push('| operation | Java (JMH avg ± 99.9% CI) | yjs on Node (median; runs) | ratio yjs/Java | goal ≥2x met | yjs baseline in the issue | byte-equal to yjs |')
out.push('|---|---|---|---|---|---|---|')
const goals = []
for (const [key, label, goal, bytesKey] of rows) {
  const j = java(key)
  const y = node?.results?.[key]
  const ratio = j && y ? y.ms / j.score : null
  if (goal) goals.push(ratio !== null && ratio >= 2)
  let eq = '—'
  if (bytesKey) {
    const b = node?.results?.[bytesKey]
    eq = checked && b ? `yes (${fmt(b.bytes, 0)} B, sha256 ${b.sha256.slice(0, 12)}…)` : checked ? 'yes' : '**not checked**'
  } else if (key === 'applyTraceAsLocalEdits') {
    eq = checked ? `text = endContent (${fmt(node.endTextLength, 0)} chars)` : '**not checked**'
  } else {
    eq = checked ? 'round trip re-encodes to yjs\'s v1 bytes' : '**not checked**'
  }
  out.push(`| ${label} | ${j ? `**${ms(j.score)} ms**${Number.isFinite(j.error) ? ` ± ${ms(j.error)}` : ''}` : 'n/a (JMH failed)'} | ` +
    `${y ? `**${ms(y.ms)} ms** (${y.runsMs.map(ms).join(' / ')})` : 'n/a'} | ` +
    `${ratio === null ? 'n/a' : `**${fmt(ratio, 1)}x**`} | ${goal ? (ratio === null ? 'n/a' : ratio >= 2 ? 'yes' : '**no**') : '(no goal)'} | ` +
    `${BASELINE[key]} ms | ${eq} |`)
}
out.push('')
if (heap && node?.memory) {
  const m = node.memory
  const heapOk = heap.retainedLocalEditsDocBytes <= m.retainedLocalEditsDocBytes && heap.retainedDecodedDocBytes <= m.retainedDecodedDocBytes
  goals.push(heapOk)
  out.push('| heap | Java | yjs on Node | Java/yjs | goal (Java ≤ yjs) met |')
  out.push('|---|---|---|---|---|')
  out.push(`| retained by the document after the trace as local edits | **${mb(heap.retainedLocalEditsDocBytes)}** | **${mb(m.retainedLocalEditsDocBytes)}** | ${fmt(heap.retainedLocalEditsDocBytes / m.retainedLocalEditsDocBytes, 2)} | ${heap.retainedLocalEditsDocBytes <= m.retainedLocalEditsDocBytes ? 'yes' : '**no**'} |`)
  out.push(`| retained by a fresh document that applied the v1 state | **${mb(heap.retainedDecodedDocBytes)}** | **${mb(m.retainedDecodedDocBytes)}** | ${fmt(heap.retainedDecodedDocBytes / m.retainedDecodedDocBytes, 2)} | ${heap.retainedDecodedDocBytes <= m.retainedDecodedDocBytes ? 'yes' : '**no**'} |`)
  if (heap.minXmxKb && nodeMin) {
    const j = heap.minXmxKb
    const n = nodeMin.minOldSpaceMb
    const peakOk = j.apply / 1024 <= n.apply
    goals.push(peakOk)
    out.push(`| peak: smallest heap with which applying the trace as local edits succeeds (Java: whole heap, -Xmx, Serial GC, 2 MB steps; Node: --max-old-space-size, 1 MB steps, plus a young generation of ${nodeMin.semiSpaceMb} MB semi-spaces) | **${fmt(j.apply / 1024, 0)} MB** | **${fmt(n.apply, 0)} MB** + young gen | ${fmt(j.apply / 1024 / n.apply, 2)} | ${peakOk ? 'yes' : '**no**'} |`)
    out.push(`| same, for applying the v1 state to a fresh doc | ${fmt(j.decode / 1024, 0)} MB | ${n.decode !== undefined ? fmt(n.decode, 0) + ' MB + young gen' : 'n/a'} | ${n.decode ? fmt(j.decode / 1024 / n.decode, 2) : 'n/a'} | |`)
    out.push(`| same, for a runtime that does nothing (floor; Node: after importing yjs) | ${fmt(j.empty / 1024, 0)} MB | ${fmt(n.empty, 0)} MB + young gen | | |`)
  } else if (heap.minXmxKb) {
    out.push(`| peak: smallest -Xmx (Serial GC, 2 MB steps) with which applying the trace succeeds | ${fmt(heap.minXmxKb.apply / 1024, 0)} MB | not measured | | |`)
  }
  out.push(`| (Node only) largest heapUsed sampled every 1,000 txns while applying the trace, minus baseline: garbage included, not a need | | ${mb(m.sampledPeakHeapUsedAboveBaselineBytes)} | | |`)
  out.push('')
  out.push(`Heap methods: Java: ${heap.method}; GC ${heap.gc}.${heap.minXmxMethod ? ' Smallest -Xmx: ' + heap.minXmxMethod + '.' : ''} ` +
    `Node: ${m.method}.${nodeMin ? ' Smallest V8 heap: ' + nodeMin.method + '.' : ''} Samples (bytes): Java local ${JSON.stringify(heap.samplesLocal)}, decoded ${JSON.stringify(heap.samplesDecoded)}; ` +
    `Node ${JSON.stringify(m.samples)}.`)
} else {
  goals.push(false)
  out.push('Heap: not measured (DocumentHeap or bench-document.mjs without --expose-gc failed).')
}
out.push('')
out.push(`Check before measuring: ${check || '**none** (setup check output missing)'}`)
out.push('')
out.push(`All goals met: ${goals.every(Boolean) ? 'yes' : '**no**'}. yjs ${node?.yjs}, ${node?.node}; Node: median of ${node?.runs} runs after ${node?.warmup} warmup runs, gc() before each; ` +
  `Java: JMH AverageTime, 1 fork per benchmark, ${[...new Set(jmh.map((b) => `${b.warmupIterations}x${b.warmupTime} warmup + ${b.measurementIterations}x${b.measurementTime} measurement`))].join(' or ')} ` +
  `(${jmh.filter((b) => b.benchmark.endsWith('applyTraceAsLocalEdits')).map((b) => `local edits: ${b.warmupIterations}x${b.warmupTime} + ${b.measurementIterations}x${b.measurementTime}`).join('')}), JVM args ${jmh[0] ? JSON.stringify(jmh[0].jvmArgs) : 'n/a'}.`)
console.log(out.join('\n'))
