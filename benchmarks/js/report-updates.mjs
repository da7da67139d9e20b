#!/usr/bin/env node
/**
 * Builds the markdown report of run-updates.sh from the yjs and Java results of one run.
 *
 *   node report-updates.mjs <node-results.json> <java-check.json> <jmh.json> <machine.txt>
 *
 * Prints the markdown (machine info + table) to stdout.
 */
import fs from 'node:fs'

const [nodeFile, checkFile, jmhFile, machineFile] = process.argv.slice(2)
if (!machineFile) {
  console.error('usage: node report-updates.mjs <node-results.json> <java-check.json> <jmh.json> <machine.txt>')
  process.exit(2)
}
const node = JSON.parse(fs.readFileSync(nodeFile, 'utf8'))
const check = JSON.parse(fs.readFileSync(checkFile, 'utf8'))
const jmh = fs.existsSync(jmhFile) && fs.statSync(jmhFile).size > 0 ? JSON.parse(fs.readFileSync(jmhFile, 'utf8')) : []
const machine = fs.readFileSync(machineFile, 'utf8').trim()

// yjs's ONE mergeUpdates call over all 259,778 updates, from the baseline (yjs-format.md, "Baseline"); not re-run (~17 min).
const YJS_ONE_CALL_ALL_BASELINE_MS = 1058942

const fmt = (x, digits) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const ms = (x) => x >= 100 ? fmt(x, 0) : x >= 10 ? fmt(x, 1) : fmt(x, 2)

function java (method, prefix) {
  const r = jmh.find((b) => b.benchmark.endsWith('.' + method) && (prefix === undefined || String(b.params?.prefix) === String(prefix)))
  if (!r) return null
  return { score: r.primaryMetric.score, error: r.primaryMetric.scoreError, n: r.primaryMetric.rawData.flat().length, r }
}
const javaCell = (j) => j ? `**${ms(j.score)}**${Number.isFinite(j.error) ? ` ± ${ms(j.error)}` : ` (${j.n} iteration)`}` : 'n/a (JMH failed)'
const yjsCell = (r) => r ? `**${ms(r.ms)}** (${r.runsMs.map(ms).join(' / ')})` : 'n/a'
const ratio = (y, j) => (y && j) ? y / j : null
const ratioCell = (x) => x === null ? 'n/a' : `${x >= 100 ? fmt(x, 0) : fmt(x, 1)}x`
const sha = (s) => s.slice(0, 12)
function eqCell (javaOp) {
  const c = check.results[javaOp]
  if (!c) return 'not checked'
  const y = node.results[c.comparedWith]
  return c.equal
    ? `yes (${fmt(c.bytes, 0)} B, sha256 ${sha(c.sha256)}…${c.comparedWith === 'mergeChunked' && javaOp !== 'mergeChunked' ? ' = yjs chunked' : ''})`
    : `**NO**: Java ${fmt(c.bytes, 0)} B ${sha(c.sha256)}… vs yjs ${fmt(y.bytes, 0)} B ${sha(y.sha256)}…`
}
const yesNo = (b) => b === null ? 'n/a' : b ? 'yes' : '**no**'

const rows = []
const all = java('mergeAllOneCall')
const allEqual = check.results.mergeAllOneCall?.equal === true
rows.push([
  `1. ONE \`mergeUpdates\` call over all ${fmt(node.updates, 0)} per-edit updates`,
  javaCell(all),
  `not run: ≈17.6 min (${fmt(YJS_ONE_CALL_ALL_BASELINE_MS, 0)} ms, 1 run, baseline doc)`,
  all ? `≈${ratioCell(ratio(YJS_ONE_CALL_ALL_BASELINE_MS, all.score))} (vs baseline)` : 'n/a',
  eqCell('mergeAllOneCall'),
  '< 1,000 ms and byte-equal to yjs',
  yesNo(all ? all.score < 1000 && allEqual : null)
])
for (const n of node.prefixes) {
  const j = java('mergePrefixOneCall', n)
  const y = node.results[`mergeOneCall${n / 1000}k`]
  rows.push([
    `1${n === node.prefixes[0] ? 'a' : 'b'}. ONE \`mergeUpdates\` call over the first ${fmt(n, 0)} updates`,
    javaCell(j), yjsCell(y), ratioCell(ratio(y?.ms, j?.score)), eqCell(`mergePrefixOneCall${n}`), '(direct ratio, no goal)', '–'
  ])
}
const ch = java('mergeChunked')
const ych = node.results.mergeChunked
const chRatio = ratio(ych?.ms, ch?.score)
rows.push([
  `2. chunked: ${ych.chunks} \`mergeUpdates\` of ${fmt(node.chunkSize, 0)}, then one merge of the ${ych.chunks} results`,
  javaCell(ch),
  `${yjsCell(ych)}; chunks ${ms(ych.chunkMergesMedianMs)} + final ${ms(ych.finalMergeMedianMs)}`,
  ratioCell(chRatio), eqCell('mergeChunked'), '≥ 5x faster than yjs, byte-equal',
  yesNo(chRatio === null ? null : chRatio >= 5 && check.results.mergeChunked?.equal === true)
])
for (const [num, method, nodeOp, label] of [
  ['3', 'stateVectorFromMerged', 'stateVector', '`encodeStateVectorFromUpdate(merged)`'],
  ['4', 'diffAtHalfClock', 'diffHalf', `\`diffUpdate(merged, sv)\`, sv = {1: ${fmt(node.halfClock, 0)}} (half of clock ${fmt(node.totalClock, 0)})`]
]) {
  const j = java(method)
  const y = node.results[nodeOp]
  const r = ratio(y?.ms, j?.score)
  rows.push([`${num}. ${label}`, javaCell(j), yjsCell(y), ratioCell(r), eqCell(method), '≥ 2x faster than yjs',
    yesNo(r === null ? null : r >= 2 && check.results[method]?.equal === true)])
}

const header = ['operation (automerge-paper)', 'Java ms (JMH mean ± 99.9% CI)', 'yjs ms (median; runs)', 'yjs / Java', 'output byte-equal to yjs', 'goal', 'met']
const lines = [
  machine,
  '',
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  `Merged update: ${fmt(check.results.mergeAllOneCall?.bytes ?? 0, 0)} bytes; state vector ${JSON.stringify(node.stateVector)}.`,
  `yjs ${node.yjs} on Node ${node.node}: median of ${node.runs} timed runs (3 for the 32k prefix) after warmup, \`process.hrtime.bigint\`, GC before each run.`,
  `Java: JMH ${jmh[0]?.jmhVersion ?? ''} AverageTime, ${[...new Set(jmh.map((b) => `${b.benchmark.split('.').pop()}: ${b.forks} fork, ${b.warmupIterations}x${b.warmupTime} warmup + ${b.measurementIterations}x${b.measurementTime} measured`))].join('; ')}; ` +
    `JVM args ${JSON.stringify(jmh[0]?.jvmArgs ?? [])}. Every Java output was compared with yjs's (size + sha256) before measuring (CheckOutputs and the JMH setup).`,
  allEqual && check.allEqual ? 'All Java outputs are byte-equal to yjs\'s.' : '**Some Java outputs differ from yjs\'s: see java-check.json.**'
]
console.log(lines.join('\n'))
