#!/usr/bin/env node
/**
 * Quire yjs conformance-corpus generator (yjs 13.6.33, pinned in package.json).
 *
 *   node gen-corpus.mjs <outDir> [--cases N] [--seed S]        (defaults: N=1200, S=20261126)
 *
 * Writes <outDir>/updates-corpus.jsonl (one random multi-doc editing case per line) and
 * <outDir>/special-vectors.jsonl (hand-picked single vectors). The output is a pure function of
 * (N, S): every random choice comes from the seeded PRNG below (never Math.random), every Y.Doc
 * gets an explicit clientID and guid. Binary values (updates, state vectors) are base64 strings.
 *
 * JSON-safety convention (used in the "json" field of the "apply" entries only): values that JSON
 * cannot represent are written as tagged single-key objects, everything else is plain JSON.
 *   undefined                      -> {"$undefined": true}
 *   NaN / Infinity / -Infinity / -0 -> {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}
 *   BigInt                         -> {"$bigint": "123"}          (decimal string, may be negative)
 *   Uint8Array (ContentBinary / any tag 116) -> {"$bytes": "<base64>"}
 *   Y.Doc (ContentDoc)             -> {"$doc": {"guid": "...", "opts": {...}}}  (opts as encoded in ContentDoc)
 *   a Y type inside a text delta (embedded type) -> {"$ytype": {"kind": "map"|"array"|"text"|"xmlText"|
 *                                     "xmlElement"|"xmlFragment"|"xmlHook", "json": <its toJSON(), made safe>}}
 * Object key order is exactly the JS order (JSON.stringify preserves it): integer-like keys first.
 * The generator never produces user keys starting with "$", so the tags are unambiguous.
 *
 * special-vectors.jsonl lines are {name, op, inputs:[b64], sv?, expected}; op is one of merge, mergeV2 (v2 inputs),
 * diff, diffV2, sv, toV2, toV1, state, stateV2 (apply the v1 inputs to a fresh Y.Doc({gc}) with the given clientID,
 * then encodeStateAsUpdate / encodeStateAsUpdateV2). See README.md.
 *
 * Per case, only transaction updates of *local* transactions are recorded (this includes the
 * formatting-cleanup transactions yjs starts while applying remote updates) plus every full-state
 * sync update. In cases with "echo": true, the updates that docs emit while applying remote updates
 * are recorded as well.
 */
import * as Y from 'yjs'
import fs from 'node:fs'
import path from 'node:path'

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------
const argv = process.argv.slice(2)
let outDir = null
let nCases = 1200
let seed = 20261126
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]
  if (a === '--cases') nCases = parseInt(argv[++i], 10)
  else if (a === '--seed') seed = parseInt(argv[++i], 10)
  else if (a.startsWith('--')) usage(`unknown option ${a}`)
  else if (outDir === null) outDir = a
  else usage(`unexpected argument ${a}`)
}
if (outDir === null || !Number.isFinite(nCases) || nCases < 0 || !Number.isFinite(seed)) usage()

function usage (msg) {
  if (msg) console.error(msg)
  console.error('usage: node gen-corpus.mjs <outDir> [--cases N] [--seed S]')
  process.exit(2)
}

// ---------------------------------------------------------------------------------------------
// PRNG (mulberry32, seeded per case so a single case can be regenerated in isolation)
// ---------------------------------------------------------------------------------------------
const mix32 = (x) => {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d)
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b)
  return (x ^ (x >>> 16)) >>> 0
}

class Rng {
  constructor (s) { this.s = s >>> 0 }
  /** uint32 */
  u32 () {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
  /** [0,1) */
  f () { return this.u32() / 4294967296 }
  /** integer in [0, n) */
  int (n) { return n <= 0 ? 0 : Math.floor(this.f() * n) }
  /** integer in [a, b] */
  range (a, b) { return a + this.int(b - a + 1) }
  bool (p = 0.5) { return this.f() < p }
  pick (arr) { return arr[this.int(arr.length)] }
  /** uint in [0, 2^53) */
  u53 () { return (this.u32() & 0x1fffff) * 4294967296 + this.u32() }
  shuffle (arr) {
    const a = arr.slice()
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = a[i]; a[i] = a[j]; a[j] = t
    }
    return a
  }
  /** weighted pick: [[weight, value], ...] */
  weighted (pairs) {
    let total = 0
    for (const [w] of pairs) total += w
    let r = this.f() * total
    for (const [w, v] of pairs) { if ((r -= w) < 0) return v }
    return pairs[pairs.length - 1][1]
  }
}

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------
const b64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64')
const hex = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('hex')
const isHigh = (c) => c >= 0xd800 && c <= 0xdbff
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff

const kindOf = (t) => {
  if (t instanceof Y.XmlText) return 'xmlText'
  if (t instanceof Y.Text) return 'text'
  if (t instanceof Y.XmlHook) return 'xmlHook'
  if (t instanceof Y.Map) return 'map'
  if (t instanceof Y.Array) return 'array'
  if (t instanceof Y.XmlElement) return 'xmlElement'
  if (t instanceof Y.XmlFragment) return 'xmlFragment'
  return 'unknown'
}
const TYPE_REF = { array: 0, map: 1, text: 2, xmlElement: 3, xmlFragment: 4, xmlHook: 5, xmlText: 6 }

/** JSON-safe conversion, see the convention at the top of this file. */
function safe (v) {
  if (v === undefined) return { $undefined: true }
  if (v === null) return null
  switch (typeof v) {
    case 'number':
      if (Number.isNaN(v)) return { $number: 'NaN' }
      if (v === Infinity) return { $number: 'Infinity' }
      if (v === -Infinity) return { $number: '-Infinity' }
      if (v === 0 && 1 / v < 0) return { $number: '-0' }
      return v
    case 'bigint': return { $bigint: v.toString() }
    case 'string': case 'boolean': return v
    case 'function': case 'symbol': return { $undefined: true }
  }
  if (v instanceof Uint8Array) return { $bytes: b64(v) }
  if (v instanceof Y.Doc) {
    const item = v._item
    let opts
    if (item && item.content && item.content.opts) opts = item.content.opts
    else {
      opts = {}
      if (!v.gc) opts.gc = false
      if (v.autoLoad) opts.autoLoad = true
      if (v.meta !== null) opts.meta = v.meta
    }
    return { $doc: { guid: v.guid, opts: safe(opts) } }
  }
  if (v instanceof Y.AbstractType) return { $ytype: { kind: kindOf(v), json: safe(v.toJSON()) } }
  if (Array.isArray(v)) return v.map(safe)
  const o = {}
  for (const k of Object.keys(v)) o[k] = safe(v[k])
  return o
}

// ---------------------------------------------------------------------------------------------
// value pools
// ---------------------------------------------------------------------------------------------
const TEXT_PIECES = [
  'a', 'b', 'x', 'hello', ' ', 'the quick brown fox', 'é', 'ñü', 'Ça', 'e\u0301', '日本', '中文字', '한국',
  '😀', '𝄞', '👩‍👩‍👧', '🇩🇪', 'a😀b', '😀😀', '𝄞x𝄞', '\n', '\t', '"q"', '\\', '<p>&amp;', 'ÿ', 'Ω', '€',
  '\u0000', '\u001f', '\uFEFF'
]
const LONE_SURROGATES = ['\uD83D', '\uDE00', '\uD834', '\uDD1E']
const FORMATS = [
  { bold: true }, { bold: true }, { italic: true }, { color: '#ff0000' }, { bold: null }, { italic: null },
  { color: null }, { bold: true, color: '#00ff00' }, { link: 'https://example.org/é?a=1&b=😀' }, { size: 12 },
  { size: 1.5 }, { font: { family: 'Arial', weight: 700 } }, { header: 1 }, { c: 'red' }, { list: 'bullet' },
  { bold: false }, { code: {} }
]
const EMBEDS = [
  () => ({ image: 'x.png' }),
  () => ({ image: 'https://example.org/😀.png', width: 640, height: 480 }),
  () => ({ n: -0, f: 0.1, big: 1e21, small: 1e-7, neg: -5, half: 0.5, i: 2147483648 }),
  () => ({ formula: 'e=mc²', arr: [1, 'x', null, true, -0, 1.5] }),
  () => ({ nested: { 10: 1, b: 2, 2: 3, '': [] } }),
  () => ({ ctrl: '\u0001\u001f"\\/\u2028', lone: '\uD83D' }),
  () => ({ u: undefined, k: 1, arr: [undefined, 2] }),
  () => ({ nan: NaN, inf: Infinity, ninf: -Infinity }),
  () => ({ video: { src: 'v.mp4', t: [0, 1.25] } })
]
const MAP_KEYS = ['a', 'b', 'c', 'key', 'name', '0', '10', '2', '', 'é', 'k😀', 'longer key with spaces', '01', '-1',
  '4294967294', '4294967295', 'x', 'y']
const ATTR_KEYS = ['class', 'id', 'style', 'data-x', 'href', 'Title', 'a', 'z']
const ATTR_VALS = ['x', '', 'main', 'color: red', 'é😀', '1', 'a"b', 'foo bar']
const NODE_NAMES = ['p', 'DIV', 'h1', 'Span', 'ul', 'li', 'blockquote']
const HOOK_NAMES = ['hookname', 'mention', 'img-hook']

const NUMBERS = [0, 1, -1, 63, 64, -64, 127, 128, 255, 256, 65535, 123456789, 16777217, -2147483648, 2147483647,
  2147483648, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), -0, 0.5, 0.1, 1.5, -2.25, 1e21, 1e-7, 3.4028234663852886e38,
  2 ** 31 + 0.5, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, 3.14159]
const STRINGS = ['', 'x', 'héllo', '😀', '𝄞 music', '👩‍👩‍👧', 'ab\u0000c', '\uFEFFbom', 'quote"back\\slash', '日本語',
  'a much longer string value that goes on for a while, with commas, and émojis 😀😀']
const BIGINTS = [0n, 10n, -5n, 2n ** 63n - 1n, -(2n ** 63n), 255n, -1n]

function anyPrimitive (rng, allowTopUndefinedAndBigint) {
  return rng.weighted([
    [10, () => rng.pick(NUMBERS)],
    [6, () => rng.pick(STRINGS)],
    [2, () => rng.bool()],
    [1, () => null],
    [allowTopUndefinedAndBigint ? 1 : 0, () => undefined],
    [allowTopUndefinedAndBigint ? 1.5 : 0, () => rng.pick(BIGINTS)],
    [0.3, () => rng.pick(LONE_SURROGATES)]
  ])()
}

/** an `any` value: primitives, objects and arrays (nested values may hold undefined, bigint, Uint8Array) */
function anyValue (rng, depth, top) {
  const kind = rng.weighted([[10, 'prim'], [depth < 3 ? 2.5 : 0, 'obj'], [depth < 3 ? 2 : 0, 'arr'], [depth > 0 ? 0.7 : 0, 'bytes']])
  if (kind === 'prim') return anyPrimitive(rng, !top || top === 'map')
  if (kind === 'bytes') return randomBytes(rng)
  if (kind === 'arr') {
    const n = rng.int(5)
    const a = []
    for (let i = 0; i < n; i++) a.push(anyValue(rng, depth + 1, false))
    return a
  }
  const o = {}
  const n = rng.int(5)
  for (let i = 0; i < n; i++) o[rng.pick(MAP_KEYS)] = anyValue(rng, depth + 1, false)
  return o
}

function randomBytes (rng) {
  const n = rng.weighted([[2, 0], [6, rng.range(1, 8)], [2, rng.range(9, 48)]])
  const u = new Uint8Array(n)
  for (let i = 0; i < n; i++) u[i] = rng.bool(0.2) ? rng.pick([0, 255, 127, 128]) : rng.int(256)
  return u
}

function randomText (rng, stats) {
  const n = rng.weighted([[5, 1], [3, 2], [1, rng.range(3, 6)]])
  let s = ''
  for (let i = 0; i < n; i++) {
    if (rng.bool(0.03)) { s += rng.pick(LONE_SURROGATES); stats.loneSurrogateInserts++ } else s += rng.pick(TEXT_PIECES)
  }
  return s
}

// ---------------------------------------------------------------------------------------------
// one case
// ---------------------------------------------------------------------------------------------
const ROOT_CHOICES = {
  text: [[20, 'text'], [1, ''], [1, 'tëxt😀']],
  map: [[20, 'map'], [1, 'm2']],
  array: [[20, 'array'], [1, 'list']],
  xmlFragment: [[20, 'xml'], [1, 'prosemirror']]
}

function chooseClientIds (rng, n, special) {
  const ids = []
  const used = new Set()
  while (ids.length < n) {
    let id
    if (special) {
      id = rng.weighted([
        [3, () => rng.range(1, 5)],
        [1, () => 2 ** 53 - 1],
        [1, () => 2 ** 53 - 2],
        [2, () => rng.u53()],
        [1, () => 2 ** 32 + rng.int(3)],
        [1, () => 2 ** 31],
        [2, () => rng.u32()]
      ])()
    } else {
      id = rng.u32()
    }
    if (id === 0 || used.has(id)) continue
    used.add(id)
    ids.push(id)
  }
  return ids
}

function freshId (rng, used) {
  for (;;) {
    const id = rng.bool(0.8) ? rng.u32() : rng.u53()
    if (id !== 0 && !used.has(id)) { used.add(id); return id }
  }
}

function genCase (id, stats) {
  const rng = new Rng(mix32(seed ^ mix32(id + 0x9e3779b9)))
  const nDocs = rng.range(2, 5)
  const gcMode = rng.weighted([[40, 'true'], [25, 'false'], [35, 'mixed']])
  const gc = []
  for (let i = 0; i < nDocs; i++) gc.push(gcMode === 'true' ? true : gcMode === 'false' ? false : rng.bool())
  const specialIds = rng.bool(0.1)
  const clientIds = chooseClientIds(rng, nDocs, specialIds)
  const echo = rng.bool(0.25)
  const delivery = rng.weighted([[60, 'inorder'], [25, 'shuffled'], [15, 'lossy']])
  const target = rng.weighted([[65, rng.range(3, 16)], [32, rng.range(16, 40)], [3, rng.range(80, 250)]])

  // roots
  const roots = {}
  const kinds = rng.shuffle(['text', 'map', 'array', 'xmlFragment'])
  const nRoots = rng.weighted([[3, 1], [3, 2], [2, 3], [3, 4]])
  for (const k of kinds.slice(0, nRoots)) {
    let name = rng.weighted(ROOT_CHOICES[k])
    if (name in roots) name = k
    roots[name] = k
  }
  if (rng.bool(0.05) && nRoots < 4) {
    // a second root of an already used kind
    const k = roots[Object.keys(roots)[0]]
    const name = k + '2'
    if (!(name in roots)) roots[name] = k
  }
  const rootNames = Object.keys(roots)

  const log = [] // {v1, v2, doc, kind:'local'|'echo'|'sync'}
  const docs = []
  const seen = [] // per doc: Set of log indices already known
  const lost = [] // per doc: Set of log indices never delivered (lossy mode)
  const svPool = []
  let subdocCounter = 0
  const caseStats = { splitOps: 0, opErrors: 0 }

  for (let i = 0; i < nDocs; i++) {
    const doc = new Y.Doc({ gc: gc[i], guid: `case-${id}-doc-${i}` })
    doc.clientID = clientIds[i]
    const txMap = new Map()
    doc.on('update', (u, origin, d, tr) => {
      const kind = tr.local ? 'local' : 'echo'
      if (kind === 'echo' && !echo) return
      const entry = { v1: u, v2: null, doc: i, kind }
      txMap.set(tr, entry)
      log.push(entry)
      seen[i].add(log.length - 1)
    })
    doc.on('updateV2', (u, origin, d, tr) => {
      const entry = txMap.get(tr)
      if (entry) { entry.v2 = u; txMap.delete(tr) }
    })
    for (const name of rootNames) getRoot(doc, name, roots[name])
    docs.push(doc)
    seen.push(new Set())
    lost.push(new Set())
  }

  const newGuid = () => `case-${id}-sub-${subdocCounter++}-${rng.u32().toString(16)}`

  // ---- prelim types -------------------------------------------------------------------------
  function makeSubdoc () {
    const opts = { guid: newGuid() }
    if (rng.bool(0.3)) opts.gc = false
    if (rng.bool(0.3)) opts.autoLoad = true
    if (rng.bool(0.5)) opts.meta = rng.pick([{ title: 'sub 😀', n: 1 }, { 10: 'x', a: [1, 2] }, 'plain meta', 42, null, { nested: { deep: true } }])
    return new Y.Doc(opts)
  }

  function makeXmlChild (depth) {
    const k = rng.weighted([[5, 'el'], [4, 'txt'], [0.6, 'hook']])
    if (k === 'txt') {
      const t = new Y.XmlText(rng.bool(0.7) ? randomText(rng, stats) : undefined)
      if (rng.bool(0.2)) t.format(0, 1, rng.pick(FORMATS))
      return t
    }
    if (k === 'hook') {
      const h = new Y.XmlHook(rng.pick(HOOK_NAMES))
      if (rng.bool(0.5)) h.set(rng.pick(MAP_KEYS), anyValue(rng, 1, 'map'))
      return h
    }
    const el = new Y.XmlElement(rng.pick(NODE_NAMES))
    const na = rng.int(3)
    for (let i = 0; i < na; i++) el.setAttribute(rng.pick(ATTR_KEYS), rng.pick(ATTR_VALS))
    if (depth < 2 && rng.bool(0.5)) {
      const nc = rng.range(1, 2)
      const children = []
      for (let i = 0; i < nc; i++) children.push(makeXmlChild(depth + 1))
      el.insert(0, children)
    }
    return el
  }

  function makeType (depth, allowed) {
    const k = rng.weighted(allowed)
    switch (k) {
      case 'map': {
        const m = new Y.Map()
        if (rng.bool(0.5)) {
          const n = rng.range(1, 3)
          for (let i = 0; i < n; i++) m.set(rng.pick(MAP_KEYS), depth < 2 && rng.bool(0.15) ? makeType(depth + 1, NESTED_ANY) : anyValue(rng, 1, 'map'))
        }
        return m
      }
      case 'array': {
        const a = new Y.Array()
        if (rng.bool(0.5)) {
          const items = []
          const n = rng.range(1, 3)
          for (let i = 0; i < n; i++) items.push(depth < 2 && rng.bool(0.15) ? makeType(depth + 1, NESTED_ANY) : anyValue(rng, 1, 'array'))
          a.insert(0, items)
        }
        return a
      }
      case 'text': {
        const t = new Y.Text(rng.bool(0.6) ? randomText(rng, stats) : undefined)
        if (rng.bool(0.2)) t.insert(0, randomText(rng, stats), rng.pick(FORMATS))
        return t
      }
      case 'xmlFragment': {
        const f = new Y.XmlFragment()
        if (rng.bool(0.6)) f.insert(0, [makeXmlChild(depth + 1)])
        return f
      }
      case 'xmlElement': case 'xmlText': case 'xmlHook':
        return makeXmlChild(depth)
    }
    throw new Error('unknown kind ' + k)
  }
  const NESTED_ANY = [[4, 'map'], [4, 'array'], [4, 'text'], [1.2, 'xmlFragment'], [1, 'xmlElement'], [0.7, 'xmlText'], [0.5, 'xmlHook']]
  const NESTED_EMBED = [[4, 'map'], [3, 'array'], [2, 'text'], [0.5, 'xmlFragment']]

  // ---- type discovery ------------------------------------------------------------------------
  function liveTypes (doc) {
    const out = []
    const visit = (t, depth) => {
      out.push(t)
      if (depth > 6) return
      for (let it = t._start; it !== null; it = it.right) {
        if (!it.deleted && it.content instanceof Y.ContentType) visit(it.content.type, depth + 1)
      }
      for (const it of t._map.values()) {
        if (!it.deleted && it.content instanceof Y.ContentType) visit(it.content.type, depth + 1)
      }
    }
    for (const name of rootNames) visit(getRoot(doc, name, roots[name]), 0)
    return out
  }

  /** text positions that fall between the two halves of a surrogate pair */
  function splitPositions (t) {
    const out = []
    let idx = 0
    for (const op of t.toDelta()) {
      if (typeof op.insert === 'string') {
        const s = op.insert
        for (let i = 1; i < s.length; i++) {
          if (isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i))) out.push(idx + i)
        }
        idx += s.length
      } else idx += 1
    }
    return out
  }

  function textPos (t, extra = 0) {
    if (rng.bool(0.15)) {
      const sp = splitPositions(t)
      if (sp.length > 0) { caseStats.splitOps++; return rng.pick(sp) }
    }
    return rng.int(t.length + 1 - extra)
  }

  // ---- random ops ----------------------------------------------------------------------------
  function opText (t) {
    const len = t.length
    const op = rng.weighted([
      [8, 'insert'], [2, 'insertAttr'], [len > 0 ? 4 : 0, 'delete'], [len > 0 ? 3 : 0, 'format'],
      [1.2, 'embed'], [kindOf(t) === 'text' ? 0.5 : 0.1, 'embedType'], [len > 0 ? 0.2 : 0, 'clear']
    ])
    switch (op) {
      case 'insert': t.insert(textPos(t), randomText(rng, stats)); break
      case 'insertAttr': t.insert(textPos(t), randomText(rng, stats), rng.pick(FORMATS)); break
      case 'delete': {
        const i = textPos(t, 1)
        const n = Math.min(len - i, rng.weighted([[6, 1], [3, rng.range(2, 5)], [1, len]]))
        if (n > 0) t.delete(i, n)
        break
      }
      case 'format': {
        const i = textPos(t, 1)
        const n = Math.max(1, Math.min(len - i, rng.range(1, 6)))
        t.format(i, n, rng.pick(FORMATS))
        break
      }
      case 'embed': t.insertEmbed(textPos(t), rng.pick(EMBEDS)(), rng.bool(0.3) ? rng.pick(FORMATS) : undefined); break
      case 'embedType': t.insertEmbed(textPos(t), makeType(1, NESTED_EMBED)); break
      case 'clear': t.delete(0, len); break
    }
  }

  function opMap (m) {
    const keys = [...m.keys()]
    const op = rng.weighted([[8, 'set'], [1, 'bytes'], [2, 'type'], [0.6, 'doc'], [keys.length > 0 ? 3 : 0, 'delete'], [keys.length > 0 ? 0.2 : 0, 'clear']])
    const key = rng.bool(0.6) && keys.length > 0 ? rng.pick(keys) : rng.pick(MAP_KEYS)
    switch (op) {
      case 'set': m.set(key, anyValue(rng, 0, 'map')); break
      case 'bytes': m.set(key, randomBytes(rng)); break
      case 'type': m.set(key, makeType(1, NESTED_ANY)); break
      case 'doc': m.set(key, makeSubdoc()); break
      case 'delete': m.delete(rng.pick(keys)); break
      case 'clear': for (const k of keys) m.delete(k); break
    }
  }

  function opArray (a) {
    const len = a.length
    const op = rng.weighted([[6, 'insert'], [2, 'push'], [1, 'bytes'], [1.5, 'type'], [0.3, 'doc'], [len > 0 ? 4 : 0, 'delete'], [len > 0 ? 0.2 : 0, 'clear']])
    switch (op) {
      case 'insert': case 'push': {
        const n = rng.weighted([[4, 1], [4, rng.range(2, 4)], [1, rng.range(5, 12)]])
        const items = []
        for (let i = 0; i < n; i++) items.push(rng.bool(0.05) ? randomBytes(rng) : anyValue(rng, 0, 'array'))
        if (op === 'push') a.push(items); else a.insert(rng.int(len + 1), items)
        break
      }
      case 'bytes': a.insert(rng.int(len + 1), [randomBytes(rng)]); break
      case 'type': a.insert(rng.int(len + 1), [makeType(1, NESTED_ANY)]); break
      case 'doc': a.insert(rng.int(len + 1), [makeSubdoc()]); break
      case 'delete': {
        const i = rng.int(len)
        const n = Math.min(len - i, rng.weighted([[6, 1], [3, rng.range(2, 4)], [1, len]]))
        a.delete(i, n)
        break
      }
      case 'clear': a.delete(0, len); break
    }
  }

  function opXml (x) {
    const len = x.length
    const isEl = x instanceof Y.XmlElement
    const op = rng.weighted([[6, 'insert'], [len > 0 ? 3 : 0, 'delete'], [isEl ? 2 : 0, 'attr'], [isEl ? 0.7 : 0, 'rmattr'], [len > 0 ? 0.15 : 0, 'clear']])
    switch (op) {
      case 'insert': {
        const n = rng.weighted([[5, 1], [1, 2]])
        const items = []
        for (let i = 0; i < n; i++) items.push(makeXmlChild(1))
        x.insert(rng.int(len + 1), items)
        break
      }
      case 'delete': {
        const i = rng.int(len)
        x.delete(i, Math.min(len - i, rng.range(1, 2)))
        break
      }
      case 'attr': x.setAttribute(rng.pick(ATTR_KEYS), rng.pick(ATTR_VALS)); break
      case 'rmattr': {
        const ks = Object.keys(x.getAttributes())
        x.removeAttribute(ks.length > 0 ? rng.pick(ks) : rng.pick(ATTR_KEYS))
        break
      }
      case 'clear': x.delete(0, len); break
    }
  }

  function randomOp (doc) {
    const types = liveTypes(doc)
    // prefer roots a bit so that root types receive most of the edits
    const t = rng.bool(0.45) ? types[rng.int(Math.min(types.length, rootNames.length))] : rng.pick(types)
    try {
      if (t instanceof Y.Text) opText(t)
      else if (t instanceof Y.Map) opMap(t)
      else if (t instanceof Y.Array) opArray(t)
      else if (t instanceof Y.XmlFragment) opXml(t)
    } catch (e) {
      caseStats.opErrors++
      stats.opErrors.set(e.message, (stats.opErrors.get(e.message) || 0) + 1)
    }
  }

  // ---- sync ----------------------------------------------------------------------------------
  function applyTo (j, entry) {
    if (rng.bool(0.8)) Y.applyUpdate(docs[j], entry.v1, 'remote')
    else Y.applyUpdateV2(docs[j], entry.v2, 'remote')
  }

  function deliver () {
    const j = rng.int(nDocs)
    const cand = []
    for (let k = 0; k < log.length; k++) if (!seen[j].has(k) && !lost[j].has(k)) cand.push(k)
    if (cand.length === 0) return
    let chosen
    if (delivery === 'inorder') chosen = cand.slice(0, rng.range(1, cand.length))
    else {
      chosen = rng.shuffle(cand).slice(0, rng.range(1, cand.length))
      if (delivery === 'inorder' || rng.bool(0.3)) chosen.sort((a, b) => a - b)
    }
    for (const k of chosen) {
      if (delivery === 'lossy' && rng.bool(0.15)) { lost[j].add(k); continue }
      seen[j].add(k)
      applyTo(j, log[k])
    }
  }

  function fullSync () {
    const a = rng.int(nDocs)
    let b = rng.int(nDocs - 1)
    if (b >= a) b++
    const sv = Y.encodeStateVector(docs[b])
    const v1 = Y.encodeStateAsUpdate(docs[a], sv)
    const v2 = Y.encodeStateAsUpdateV2(docs[a], sv)
    if (v1.length <= 2 && rng.bool(0.8)) return // nothing new: rarely worth recording
    const entry = { v1, v2, doc: a, kind: 'sync' }
    log.push(entry)
    const k = log.length - 1
    seen[a].add(k)
    seen[b].add(k)
    applyTo(b, entry)
  }

  let steps = 0
  while (log.length < target && steps < target * 6) {
    steps++
    const action = rng.weighted([[60, 'op'], [8, 'tx'], [22, 'deliver'], [7, 'sync'], [3, 'sv']])
    if (action === 'op') randomOp(docs[rng.int(nDocs)])
    else if (action === 'tx') {
      const doc = docs[rng.int(nDocs)]
      const n = rng.range(2, 5)
      doc.transact(() => { for (let i = 0; i < n; i++) randomOp(doc) })
    } else if (action === 'deliver') deliver()
    else if (action === 'sync') fullSync()
    else svPool.push(Y.encodeStateVector(docs[rng.int(nDocs)]))
  }
  if (rng.bool(0.3)) {
    // final all-to-all sync so that the docs converge
    for (let r = 0; r < 2; r++) {
      for (let a = 0; a < nDocs; a++) {
        for (let b = 0; b < nDocs; b++) {
          if (a === b || log.length >= 300) continue
          const sv = Y.encodeStateVector(docs[b])
          const v1 = Y.encodeStateAsUpdate(docs[a], sv)
          if (v1.length <= 2) continue
          const entry = { v1, v2: Y.encodeStateAsUpdateV2(docs[a], sv), doc: a, kind: 'sync' }
          log.push(entry)
          Y.applyUpdate(docs[b], v1, 'remote')
        }
      }
    }
  }
  if (log.length > 300) log.length = 300
  for (const e of log) if (e.v2 === null) throw new Error('missing v2 for an update')

  // ---- derived data ---------------------------------------------------------------------------
  const updates = log.map(e => e.v1)
  const updatesV2 = log.map(e => e.v2)
  const n = updates.length
  const merge = Y.mergeUpdates(updates)
  const mergeV2 = Y.mergeUpdatesV2(updatesV2)
  const shuffledOrder = rng.shuffle([...Array(n).keys()])
  const mergeShuffled = {
    order: shuffledOrder,
    v1: Y.mergeUpdates(shuffledOrder.map(i => updates[i])),
    v2: Y.mergeUpdatesV2(shuffledOrder.map(i => updatesV2[i]))
  }
  const pSub = rng.f() * 0.6 + 0.2
  const subsetIdx = []
  for (let i = 0; i < n; i++) if (rng.f() < pSub) subsetIdx.push(i)
  const mergeSubset = {
    indices: subsetIdx,
    v1: Y.mergeUpdates(subsetIdx.map(i => updates[i])),
    v2: Y.mergeUpdatesV2(subsetIdx.map(i => updatesV2[i]))
  }

  // state vectors for diffs
  const allClients = new Map() // client -> max clock in merge
  const strItems = []
  for (const s of Y.decodeUpdate(merge).structs) {
    allClients.set(s.id.client, Math.max(allClients.get(s.id.client) || 0, s.id.clock + s.length))
    if (s instanceof Y.Item && s.content instanceof Y.ContentString) strItems.push(s)
  }
  const clientList = [...allClients.keys()]
  const randomSv = (withUnknown) => {
    const m = new Map()
    for (const c of clientList) {
      if (rng.bool(0.7)) m.set(c, rng.int((allClients.get(c) || 0) + 3))
    }
    if (strItems.length > 0 && rng.bool(0.4)) {
      // aim into the middle of a string item, preferably between the halves of a surrogate pair
      const it = rng.pick(strItems)
      const s = it.content.str
      const pairs = []
      for (let i = 1; i < s.length; i++) if (isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i))) pairs.push(i)
      const off = pairs.length > 0 ? rng.pick(pairs) : rng.int(s.length + 1)
      m.set(it.id.client, it.id.clock + off)
    }
    if (withUnknown) {
      const used = new Set(clientList)
      const k = rng.range(1, 3)
      for (let i = 0; i < k; i++) m.set(freshId(rng, used), rng.int(20))
    }
    return Y.encodeStateVector(m)
  }
  const svs = []
  svs.push(svPool.length > 0 ? rng.pick(svPool) : Y.encodeStateVector(docs[rng.int(nDocs)]))
  svs.push(randomSv(false))
  svs.push(randomSv(true))
  if (rng.bool(0.3)) svs.push(Y.encodeStateVector(new Map()))
  const diffs = svs.map(sv => ({
    sv: b64(sv),
    v1: b64(Y.diffUpdate(merge, sv)),
    v2: b64(Y.diffUpdateV2(mergeV2, sv)),
    subsetV1: b64(Y.diffUpdate(mergeSubset.v1, sv))
  }))
  // surrogate splits by the diffs (sv lands between the halves of a pair inside a string item)
  for (const sv of svs) {
    const st = Y.decodeStateVector(sv)
    for (const it of strItems) {
      const c = st.get(it.id.client)
      if (c === undefined) continue
      const off = c - it.id.clock
      if (off > 0 && off < it.length && isHigh(it.content.str.charCodeAt(off - 1)) && isLow(it.content.str.charCodeAt(off))) caseStats.splitOps++
    }
  }

  // document-level application
  const usedIds = new Set(clientIds)
  const applyEntries = []
  const applySpecs = [{ gc: true, order: [...Array(n).keys()] }, { gc: rng.bool(), order: rng.shuffle([...Array(n).keys()]) }]
  if (rng.bool(0.35)) applySpecs.push({ gc: rng.bool(), order: rng.shuffle(subsetIdx) })
  for (const spec of applySpecs) {
    const clientID = freshId(rng, usedIds)
    const doc = new Y.Doc({ gc: spec.gc, guid: `case-${id}-apply` })
    doc.clientID = clientID
    for (const i of spec.order) Y.applyUpdate(doc, updates[i], 'remote')
    const json = {}
    for (const name of rootNames) {
      const t = getRoot(doc, name, roots[name])
      if (roots[name] === 'text') json[name] = { string: t.toString(), delta: safe(t.toDelta()) }
      else json[name] = safe(t.toJSON())
    }
    const sv = rng.pick(svs)
    applyEntries.push({
      gc: spec.gc,
      clientID,
      order: spec.order,
      state: b64(Y.encodeStateAsUpdate(doc)),
      stateV2: b64(Y.encodeStateAsUpdateV2(doc)),
      stateVector: b64(Y.encodeStateVector(doc)),
      diffState: { sv: b64(sv), v1: b64(Y.encodeStateAsUpdate(doc, sv)) },
      pendingStructs: doc.store.pendingStructs !== null,
      pendingDs: doc.store.pendingDs !== null,
      json
    })
    if (doc.store.pendingStructs !== null) stats.applyPendingStructs++
    if (doc.store.pendingDs !== null) stats.applyPendingDs++
    if (doc.clientID !== clientID) throw new Error('yjs changed the clientID of an apply doc')
    doc.destroy()
  }
  for (let i = 0; i < nDocs; i++) {
    if (docs[i].clientID !== clientIds[i]) throw new Error(`yjs changed the clientID of doc ${i} in case ${id}`)
    docs[i].destroy()
  }

  const out = {
    id,
    docs: nDocs,
    gc,
    clientIds,
    echo,
    delivery,
    roots,
    updates: updates.map(b64),
    updatesV2: updatesV2.map(b64),
    merge: b64(merge),
    mergeV2: b64(mergeV2),
    mergeShuffled: { order: mergeShuffled.order, v1: b64(mergeShuffled.v1), v2: b64(mergeShuffled.v2) },
    mergeSubset: { indices: mergeSubset.indices, v1: b64(mergeSubset.v1), v2: b64(mergeSubset.v2) },
    stateVector: b64(Y.encodeStateVectorFromUpdate(merge)),
    stateVectorV2: b64(Y.encodeStateVectorFromUpdateV2(mergeV2)),
    stateVectorSubset: b64(Y.encodeStateVectorFromUpdate(mergeSubset.v1)),
    perUpdate: updates.map((u, i) => ({
      sv: b64(Y.encodeStateVectorFromUpdate(u)),
      toV2: b64(Y.convertUpdateFormatV1ToV2(u)),
      toV1: b64(Y.convertUpdateFormatV2ToV1(updatesV2[i]))
    })),
    diffs,
    mergeToV2: b64(Y.convertUpdateFormatV1ToV2(merge)),
    mergeV2ToV1: b64(Y.convertUpdateFormatV2ToV1(mergeV2)),
    apply: applyEntries
  }

  // ---- statistics (decode everything that was produced) ----------------------------------------
  const cat = new Set()
  const scan = (u, where) => {
    const { structs } = Y.decodeUpdate(u)
    for (const s of structs) {
      if (s instanceof Y.GC) { if (where === 'update') cat.add('GC') } else if (s instanceof Y.Skip) { cat.add(where === 'update' ? 'SkipInUpdate' : 'Skip') } else {
        const c = s.content
        if (c instanceof Y.ContentDoc) cat.add('ContentDoc')
        else if (c instanceof Y.ContentBinary) cat.add('ContentBinary')
        else if (c instanceof Y.ContentEmbed) cat.add('ContentEmbed')
        else if (c instanceof Y.ContentFormat) cat.add('ContentFormat')
        else if (c instanceof Y.ContentDeleted) cat.add('ContentDeleted')
        else if (c instanceof Y.ContentType) cat.add('Type' + TYPE_REF[kindOf(c.type)])
        else if (c instanceof Y.ContentAny) { if (c.arr.some(hasBigInt)) cat.add('BigInt') } else if (c instanceof Y.ContentString) { if (c.str.includes('\uFFFD')) cat.add('U+FFFD') }
      }
    }
  }
  for (const u of updates) scan(u, 'update')
  for (const u of [merge, mergeShuffled.v1, mergeSubset.v1]) scan(u, 'merge')
  for (const d of diffs) { scan(Buffer.from(d.v1, 'base64'), 'merge'); scan(Buffer.from(d.subsetV1, 'base64'), 'merge') }
  if (caseStats.splitOps > 0) cat.add('surrogateSplit')
  if (specialIds) cat.add('specialClientIds')
  for (const c of cat) stats.cases.set(c, (stats.cases.get(c) || 0) + 1)
  stats.updates += n
  return out
}

function hasBigInt (v) {
  if (typeof v === 'bigint') return true
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return false
  if (Array.isArray(v)) return v.some(hasBigInt)
  return Object.values(v).some(hasBigInt)
}

function getRoot (doc, name, kind) {
  switch (kind) {
    case 'text': return doc.getText(name)
    case 'map': return doc.getMap(name)
    case 'array': return doc.getArray(name)
    case 'xmlFragment': return doc.getXmlFragment(name)
  }
  throw new Error('unknown root kind ' + kind)
}

// ---------------------------------------------------------------------------------------------
// special vectors
// ---------------------------------------------------------------------------------------------
function specialVectors () {
  const out = []
  const vec = (name, op, inputs, expected, sv) => {
    const o = { name, op, inputs: inputs.map(b64) }
    if (sv !== undefined) o.sv = b64(sv)
    o.expected = b64(expected)
    out.push(o)
  }
  const expectHex = (what, u8, hexStr) => {
    const want = hexStr.replace(/[^0-9a-f]/g, '')
    if (hex(u8) !== want) throw new Error(`special vector ${what}: yjs gave ${hex(u8)}, yjs-format.md says ${want}`)
  }
  const mkDoc = (clientID, gc = true) => {
    const d = new Y.Doc({ gc, guid: `special-${clientID}` })
    d.clientID = clientID
    const ups = []
    const upsV2 = []
    d.on('update', u => ups.push(u))
    d.on('updateV2', u => upsV2.push(u))
    return { d, ups, upsV2 }
  }
  /** the usual set of vectors for one update (v1 u, v2 uV2) */
  const oneUpdate = (name, u, uV2) => {
    vec(`${name}/toV2`, 'toV2', [u], Y.convertUpdateFormatV1ToV2(u))
    vec(`${name}/toV1`, 'toV1', [uV2], Y.convertUpdateFormatV2ToV1(uV2))
    vec(`${name}/sv`, 'sv', [u], Y.encodeStateVectorFromUpdate(u))
    vec(`${name}/mergeV2`, 'mergeV2', [uV2, uV2], Y.mergeUpdatesV2([uV2, uV2]))
  }

  // --- section 5 of yjs-format.md -------------------------------------------------------------
  {
    const { d, ups, upsV2 } = mkDoc(1)
    const t = d.getText('t')
    t.insert(0, 'ab😀')
    t.insert(1, 'X')
    d.getMap('m').set('k', 1.5)
    t.delete(0, 1)
    const [u0, u1, u2, u3] = ups
    expectHex('u0', u0, '01 01 01 00 04 01 01 74 06 61 62 f0 9f 98 80 00')
    expectHex('u1', u1, '01 01 01 04 c4 01 00 01 01 01 58 00')
    expectHex('u2', u2, '01 01 01 05 28 01 01 6d 01 6b 01 7c 3f c0 00 00 00')
    expectHex('u3', u3, '00 01 01 01 00 01')
    const state = Y.encodeStateAsUpdate(d)
    const stateV2 = Y.encodeStateAsUpdateV2(d)
    expectHex('stateV2', stateV2, '00 00 02 41 02 02 01 00 01 02 07 01 00 84 00 c4 00 28 0e 09 74 62 f0 9f 98 80 58 6d 6b 01 03 41 01 01 01 00 02 41 00 01 04 00 7c 3f c0 00 00 01 01 01 00 00')
    ;['u0', 'u1', 'u2', 'u3'].forEach((nm, i) => oneUpdate(`sec5/${nm}`, ups[i], upsV2[i]))
    // state of a fresh doc after applying u0..u3 (op "state": apply inputs to a fresh gc:true doc with clientID)
    const st = { name: 'sec5/state', op: 'state', clientID: 99, gc: true, inputs: [u0, u1, u2, u3].map(b64) }
    const fresh = new Y.Doc({ gc: true, guid: 'special-fresh' }); fresh.clientID = 99
    for (const u of [u0, u1, u2, u3]) Y.applyUpdate(fresh, u)
    st.expected = b64(Y.encodeStateAsUpdate(fresh)); out.push(st)
    out.push({ name: 'sec5/stateV2', op: 'stateV2', clientID: 99, gc: true, inputs: st.inputs, expected: b64(Y.encodeStateAsUpdateV2(fresh)) })
    if (hex(Y.encodeStateAsUpdate(fresh)) !== hex(state)) throw new Error('sec5: fresh state differs from the local state')
    vec('sec5/localState/toV2', 'toV2', [state], Y.convertUpdateFormatV1ToV2(state))
    vec('sec5/localStateV2/toV1', 'toV1', [stateV2], Y.convertUpdateFormatV2ToV1(stateV2))
    vec('sec5/merge-u0-u3', 'merge', [u0, u1, u2, u3], Y.mergeUpdates([u0, u1, u2, u3]))
    vec('sec5/merge-u3-u2-u1-u0', 'merge', [u3, u2, u1, u0], Y.mergeUpdates([u3, u2, u1, u0]))

    const z = mkDoc(300)
    z.d.getText('t').insert(0, 'z')
    const uz = z.ups[0]
    const m = Y.mergeUpdates([u0, u2, uz])
    expectHex('merge', m, '02 01 ac 02 00 04 01 01 74 01 7a 03 01 00 04 01 01 74 06 61 62 f0 9f 98 80 0a 01 28 01 01 6d 01 6b 01 7c 3f c0 00 00 00')
    vec('sec5/merge-u0-u2-z300', 'merge', [u0, u2, uz], m)
    vec('sec5/merge-u0-u2-z300/mergeV2', 'mergeV2', [upsV2[0], upsV2[2], z.upsV2[0]], Y.mergeUpdatesV2([upsV2[0], upsV2[2], z.upsV2[0]]))
    const svm = Y.encodeStateVectorFromUpdate(m)
    expectHex('sv', svm, '02 ac 02 01 01 04')
    vec('sec5/sv-of-merge', 'sv', [m], svm)
    const sv12 = Y.encodeStateVector(new Map([[1, 2]]))
    const dm = Y.diffUpdate(m, sv12)
    if (!hex(dm).includes('030102840101' + '04f09f98800a01')) throw new Error('sec5 diff(m,{1:2}) mismatch: ' + hex(dm))
    vec('sec5/diff-merge-sv1:2', 'diff', [m], dm, sv12)
    const sv13 = Y.encodeStateVector(new Map([[1, 3]]))
    const d13 = Y.diffUpdate(u0, sv13)
    expectHex('diff u0 {1:3}', d13, '01 01 01 03 84 01 02 03 ef bf bd 00')
    vec('sec5/diff-u0-sv1:3-surrogate-middle', 'diff', [u0], d13, sv13)
    vec('sec5/diffV2-u0-sv1:3-surrogate-middle', 'diffV2', [upsV2[0]], Y.diffUpdateV2(upsV2[0], sv13), sv13)
    for (let c = 0; c <= 5; c++) {
      const sv = Y.encodeStateVector(new Map([[1, c]]))
      vec(`diff/u0-sv1:${c}`, 'diff', [u0], Y.diffUpdate(u0, sv), sv)
      vec(`diff/merge-u0-u3-sv1:${c}`, 'diff', [Y.mergeUpdates([u0, u1, u2, u3])], Y.diffUpdate(Y.mergeUpdates([u0, u1, u2, u3]), sv), sv)
    }
    const m1 = Y.mergeUpdates([u0])
    if (m1 !== u0) throw new Error('mergeUpdates([u]) did not return u')
    vec('sec5/merge-single', 'merge', [u0], m1)
    const m0 = Y.mergeUpdates([])
    expectHex('merge []', m0, '00 00')
    vec('sec5/merge-empty', 'merge', [], m0)
    vec('sec5/mergeV2-empty', 'mergeV2', [], Y.mergeUpdatesV2([]))
    vec('sec5/sv-of-empty', 'sv', [m0], Y.encodeStateVectorFromUpdate(m0))
    vec('sec5/sv-of-delete-only', 'sv', [u3], Y.encodeStateVectorFromUpdate(u3))
    vec('sec5/diff-empty-sv', 'diff', [m], Y.diffUpdate(m, Y.encodeStateVector(new Map())), Y.encodeStateVector(new Map()))
  }

  // --- surrogate pairs: diff into the middle, inserts inside pairs, lone surrogates --------------
  {
    const { d, ups, upsV2 } = mkDoc(7)
    const t = d.getText('text')
    t.insert(0, '😀𝄞👩‍👩‍👧')
    t.insert(1, 'X') // inside the first pair: both halves become U+FFFD
    t.insert(0, '\uD83D') // lone high surrogate
    t.insert(t.length, '\uDE00') // lone low surrogate
    t.format(3, 2, { bold: true })
    ups.forEach((u, i) => oneUpdate(`surrogate/${i}`, u, upsV2[i]))
    const m = Y.mergeUpdates(ups)
    vec('surrogate/merge', 'merge', ups, m)
    vec('surrogate/mergeV2', 'mergeV2', upsV2, Y.mergeUpdatesV2(upsV2))
    for (let c = 0; c <= 12; c++) {
      const sv = Y.encodeStateVector(new Map([[7, c]]))
      vec(`surrogate/diff-sv7:${c}`, 'diff', [ups[0]], Y.diffUpdate(ups[0], sv), sv)
    }
    const st = Y.encodeStateAsUpdate(d)
    vec('surrogate/localState/toV2', 'toV2', [st], Y.convertUpdateFormatV1ToV2(st))
    // v2 string column: a piece ending with a high surrogate followed by a piece starting with a low one
    const e = mkDoc(8)
    const t2 = e.d.getText('text')
    e.d.transact(() => { t2.insert(0, 'a\uD83D'); e.d.getMap('m').set('k', '\uDE00b') })
    oneUpdate('surrogate/v2-string-column-pairing', e.ups[0], e.upsV2[0])
  }

  // --- map with integer-like keys ----------------------------------------------------------------
  {
    const { d, ups, upsV2 } = mkDoc(11)
    const m = d.getMap('map')
    for (const k of ['b', '10', '2', '0', '', 'a', '01', '-1', '4294967294', '4294967295', '1.5']) m.set(k, k.length)
    m.set('obj', { b: 1, 2: 0, 10: [1], a: { 4294967294: 'x', 4294967295: 'y', z: null } })
    m.delete('2')
    ups.forEach((u, i) => oneUpdate(`intkeys/${i}`, u, upsV2[i]))
    vec('intkeys/merge', 'merge', ups, Y.mergeUpdates(ups))
    out.push({ name: 'intkeys/state', op: 'state', clientID: 12, gc: true, inputs: ups.map(b64), expected: b64(applyFresh(ups, 12, true)), json: safe(freshDocJson(ups, 12, 'map')) })
  }

  // --- every `any` tag -------------------------------------------------------------------------
  {
    const values = [
      ['undefined', undefined], ['null', null], ['int0', 0], ['int-1', -1], ['int64', 64], ['int-64', -64],
      ['intMax', 2147483647], ['negzero', -0], ['float32-2^31', 2147483648], ['float32-0.5', 0.5],
      ['float32-inf', Infinity], ['float32-ninf', -Infinity], ['float64-0.1', 0.1], ['float64-2^53-1', 2 ** 53 - 1],
      ['float64-NaN', NaN], ['bigint10', 10n], ['bigint-5', -5n], ['bigintMax', 2n ** 63n - 1n], ['bigintMin', -(2n ** 63n)],
      ['bigintWrap2^64+5', 2n ** 64n + 5n], ['false', false], ['true', true], ['string', 'héllo 😀'], ['stringEmpty', ''],
      ['object', { b: 1, 2: 0, s: 'x', n: null, u: undefined }], ['objectEmpty', {}], ['array', [1, 'a', null, true, 1.5, [], {}]],
      ['arrayEmpty', []], ['uint8array-in-array', [new Uint8Array([1, 2, 255])]], ['uint8array-in-object', { b: new Uint8Array([]) }],
      ['binary', new Uint8Array([0, 1, 2, 127, 128, 255])], ['binaryEmpty', new Uint8Array(0)], ['bigint-in-object', { x: 10n }],
      ['nested', { a: [{ b: [{ c: -0 }] }] }], ['loneSurrogateString', 'x\uD800y']
    ]
    const allUps = []
    let client = 100
    for (const [nm, v] of values) {
      const m = mkDoc(client++)
      m.d.getMap('map').set('v', v)
      oneUpdate(`any/${nm}`, m.ups[0], m.upsV2[0])
      allUps.push(m.ups[0])
      const a = mkDoc(client++)
      // Y.Array#insert throws for a top-level undefined or BigInt, so nest those in an array
      const arrVal = (v === undefined || typeof v === 'bigint') ? [[v]] : [v]
      a.d.getArray('array').insert(0, arrVal)
      oneUpdate(`any-array/${nm}`, a.ups[0], a.upsV2[0])
      allUps.push(a.ups[0])
    }
    vec('any/merge-all', 'merge', allUps, Y.mergeUpdates(allUps))
    out.push({ name: 'any/state-all', op: 'state', clientID: 5, gc: true, inputs: allUps.map(b64), expected: b64(applyFresh(allUps, 5, true)) })
    // a run of primitives in one ContentAny
    const r = mkDoc(400)
    r.d.getArray('array').insert(0, [1, -0, 0.5, 0.1, NaN, 'x', null, true, false, { a: 1 }, [2]])
    oneUpdate('any/run', r.ups[0], r.upsV2[0])
  }

  // --- ContentDoc ----------------------------------------------------------------------------
  {
    const { d, ups, upsV2 } = mkDoc(21)
    d.getMap('map').set('sub', new Y.Doc({ guid: 'sub-guid-1' }))
    d.getMap('map').set('subOpts', new Y.Doc({ guid: 'sub-guid-2', gc: false, autoLoad: true, meta: { title: 'x', 10: [1] } }))
    d.getArray('array').insert(0, [new Y.Doc({ guid: 'sub-guid-3', meta: 'plain' })])
    d.getMap('map').delete('sub')
    ups.forEach((u, i) => oneUpdate(`contentDoc/${i}`, u, upsV2[i]))
    vec('contentDoc/merge', 'merge', ups, Y.mergeUpdates(ups))
    const st = Y.encodeStateAsUpdate(d)
    vec('contentDoc/localState/toV2', 'toV2', [st], Y.convertUpdateFormatV1ToV2(st))
    out.push({ name: 'contentDoc/state', op: 'state', clientID: 22, gc: true, inputs: ups.map(b64), expected: b64(applyFresh(ups, 22, true)), json: safe(freshDocJson(ups, 22, 'map')) })
  }

  // --- XmlHook, Xml elements, XmlText formatting -----------------------------------------------
  {
    const { d, ups, upsV2 } = mkDoc(31)
    const x = d.getXmlFragment('xml')
    const hook = new Y.XmlHook('hookname')
    hook.set('k', 'v')
    const el = new Y.XmlElement('DIV')
    el.setAttribute('class', 'main')
    el.setAttribute('Alpha', 'é😀')
    const xt = new Y.XmlText('hello world')
    el.insert(0, [xt])
    x.insert(0, [el, hook, new Y.XmlElement('h1')])
    xt.format(0, 5, { bold: true })
    xt.format(6, 5, { c: 'red' })
    xt.format(2, 2, { bold: null })
    el.removeAttribute('class')
    ups.forEach((u, i) => oneUpdate(`xml/${i}`, u, upsV2[i]))
    vec('xml/merge', 'merge', ups, Y.mergeUpdates(ups))
    out.push({ name: 'xml/state', op: 'state', clientID: 32, gc: true, inputs: ups.map(b64), expected: b64(applyFresh(ups, 32, true)), json: safe(freshDocJson(ups, 32, 'xmlFragment', 'xml')) })
  }

  // --- text formatting attributes, embeds --------------------------------------------------------
  {
    const { d, ups, upsV2 } = mkDoc(41)
    const t = d.getText('text')
    t.insert(0, 'formatted text here')
    t.format(0, 9, { bold: true })
    t.format(3, 10, { color: '#ff0000' })
    t.format(5, 2, { bold: null })
    t.insert(4, 'ins', { italic: true, size: 1.5 })
    t.insertEmbed(2, { image: 'x.png' })
    t.insertEmbed(3, { n: -0, big: 1e21, small: 1e-7, nan: NaN, u: undefined, ctrl: '\u0001"\\' }, { bold: true })
    t.insertEmbed(0, new Y.Map([['k', 1]]))
    t.delete(8, 4)
    ups.forEach((u, i) => oneUpdate(`format/${i}`, u, upsV2[i]))
    vec('format/merge', 'merge', ups, Y.mergeUpdates(ups))
    vec('format/mergeV2', 'mergeV2', upsV2, Y.mergeUpdatesV2(upsV2))
    out.push({ name: 'format/state', op: 'state', clientID: 42, gc: true, inputs: ups.map(b64), expected: b64(applyFresh(ups, 42, true)), json: safe(freshDocJson(ups, 42, 'text')) })
    out.push({ name: 'format/state-gcfalse', op: 'state', clientID: 42, gc: false, inputs: ups.map(b64), expected: b64(applyFresh(ups, 42, false)) })
  }

  // --- deleting a nested type: GC structs in the full state -----------------------------------------
  {
    const { d, ups } = mkDoc(51)
    const m = d.getMap('map')
    const inner = new Y.Array()
    m.set('list', inner)
    inner.insert(0, [1, 2, 3, new Y.Text('abc')])
    m.delete('list')
    const st = Y.encodeStateAsUpdate(d)
    const stV2 = Y.encodeStateAsUpdateV2(d)
    oneUpdate('gc/localState', st, stV2)
    vec('gc/merge-ops-and-state', 'merge', [...ups, st], Y.mergeUpdates([...ups, st]))
    vec('gc/merge-state-and-ops', 'merge', [st, ...ups], Y.mergeUpdates([st, ...ups]))
  }

  // --- large / small client ids ----------------------------------------------------------------
  {
    const ids = [2 ** 53 - 1, 2 ** 32, 2 ** 31, 3, 1]
    const us = []
    for (const c of ids) {
      const { d, ups, upsV2 } = mkDoc(c)
      d.getText('text').insert(0, 'c' + c)
      oneUpdate(`clientid/${c}`, ups[0], upsV2[0])
      us.push(ups[0])
    }
    vec('clientid/merge', 'merge', us, Y.mergeUpdates(us))
    const sv = Y.encodeStateVector(new Map([[2 ** 53 - 1, 3], [2 ** 31, 100], [12345, 1]]))
    vec('clientid/diff', 'diff', [Y.mergeUpdates(us)], Y.diffUpdate(Y.mergeUpdates(us), sv), sv)
  }

  // --- types nested as deep as Quire allows (YDoc.MAX_NESTING_DEPTH): rendered, deleted, collected ----------
  // Maps and arrays alternate for the first half (an array's child follows a string, so it names only its left
  // origin), XML elements and XML texts for the second (a text's child is an embed after a character).
  {
    const DEPTH = 512
    const { d, ups } = mkDoc(61)
    const levels = []
    let parent = d.getMap('map')
    for (let i = 0; i < DEPTH; i++) {
      const child = i < DEPTH / 2 ? (i % 2 === 0 ? new Y.Map() : new Y.Array()) : (i % 2 === 0 ? new Y.XmlElement('p') : new Y.XmlText())
      if (parent instanceof Y.Map) parent.set('k', child)
      else if (parent instanceof Y.Array) parent.insert(0, ['x', child])
      else if (parent instanceof Y.XmlText) { parent.insert(0, 't'); parent.insertEmbed(1, child) } else parent.insert(0, [child])
      levels.push(child)
      parent = child
    }
    const build = Y.mergeUpdates(ups)
    ups.length = 0
    levels[99].delete(1, 1) // an array at depth 100, and all below it
    const deleteMiddle = ups[0]
    ups.length = 0
    d.getMap('map').delete('k')
    const deleteTop = ups[0]
    const deep = (name, inputs, gc) => out.push({
      name: `deep/${name}`, op: 'state', clientID: 62, gc, inputs: inputs.map(b64),
      expected: b64(applyFresh(inputs, 62, gc)), json: safe(freshDocJson(inputs, 62, 'map'))
    })
    deep('built', [build], true)
    deep('built-gcfalse', [build], false)
    deep('delete-middle', [build, deleteMiddle], true)
    deep('delete-middle-then-top', [build, deleteMiddle, deleteTop], true)
    deep('delete-top', [build, deleteTop], true)
    deep('delete-top-gcfalse', [build, deleteTop], false)
  }
  return out
}

function applyFresh (ups, clientID, gc) {
  const d = new Y.Doc({ gc, guid: 'special-apply' })
  d.clientID = clientID
  for (const u of ups) Y.applyUpdate(d, u)
  return Y.encodeStateAsUpdate(d)
}

function freshDocJson (ups, clientID, kind, name) {
  const d = new Y.Doc({ guid: 'special-apply' })
  d.clientID = clientID
  for (const u of ups) Y.applyUpdate(d, u)
  name = name || kind
  const t = getRoot(d, name, kind)
  return { [name]: kind === 'text' ? { string: t.toString(), delta: t.toDelta() } : t.toJSON() }
}

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------
const t0 = Date.now()
fs.mkdirSync(outDir, { recursive: true })
const stats = { updates: 0, cases: new Map(), opErrors: new Map(), applyPendingStructs: 0, applyPendingDs: 0, loneSurrogateInserts: 0 }

function writeAtomically (file, produceLines) {
  const tmp = file + '.tmp-' + process.pid
  const fd = fs.openSync(tmp, 'w')
  try {
    produceLines(line => fs.writeSync(fd, line + '\n'))
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
}

// silence yjs console noise (e.g. subdoc warnings) but count it
const origError = console.error
const consoleErrors = new Map()
console.error = (...args) => { const k = String(args[0]).slice(0, 80); consoleErrors.set(k, (consoleErrors.get(k) || 0) + 1) }

const corpusFile = path.join(outDir, 'updates-corpus.jsonl')
writeAtomically(corpusFile, write => {
  for (let id = 0; id < nCases; id++) write(JSON.stringify(genCase(id, stats)))
})
const specials = specialVectors()
writeAtomically(path.join(outDir, 'special-vectors.jsonl'), write => { for (const v of specials) write(JSON.stringify(v)) })
console.error = origError

const size = fs.statSync(corpusFile).size + fs.statSync(path.join(outDir, 'special-vectors.jsonl')).size
const CATS = ['GC', 'ContentDeleted', 'Skip', 'SkipInUpdate', 'ContentDoc', 'ContentBinary', 'ContentEmbed', 'ContentFormat',
  'Type0', 'Type1', 'Type2', 'Type3', 'Type4', 'Type5', 'Type6', 'BigInt', 'U+FFFD', 'surrogateSplit', 'specialClientIds']
const NAMES = { Type0: 'YArray', Type1: 'YMap', Type2: 'YText', Type3: 'YXmlElement', Type4: 'YXmlFragment', Type5: 'YXmlHook', Type6: 'YXmlText', Skip: 'SkipInMerges', SkipInUpdate: 'SkipInUpdates' }
const parts = CATS.map(c => `${NAMES[c] || c}=${stats.cases.get(c) || 0}`)
console.log(`stats (cases containing): ${parts.join(' ')}`)
console.log(`stats: ${specials.length} special vectors, apply docs with pendingStructs=${stats.applyPendingStructs} pendingDs=${stats.applyPendingDs}, lone-surrogate inserts=${stats.loneSurrogateInserts}, ${(size / 1048576).toFixed(1)} MiB, ${((Date.now() - t0) / 1000).toFixed(1)} s`)
if (stats.opErrors.size > 0) console.log(`yjs exceptions during random ops (caught): ${JSON.stringify([...stats.opErrors])}`)
if (consoleErrors.size > 0) console.log(`yjs console.error output (suppressed): ${JSON.stringify([...consoleErrors])}`)
const missing = CATS.filter(c => !stats.cases.get(c))
console.log(`corpus: ${nCases} cases, ${stats.updates} updates, written to ${path.resolve(outDir)}`)
if (nCases >= 200 && missing.length > 0) {
  console.error(`ERROR: categories never produced: ${missing.join(', ')}`)
  process.exit(1)
}
