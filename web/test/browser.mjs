// Browser test of quire dev's demo pages (issue 7), in Debian's headless Chromium driven by playwright-core:
// two tabs on one document; typing in one shows in the other, with the first user's caret; then the history
// page's slider moves back to the first version and shows a different text than the last.
// usage: node test/browser.mjs <http-url of quire dev> <document>; prints one JSON line, exit 0 when every check passed.
import { chromium } from 'playwright-core'

const [base, doc] = process.argv.slice(2)
const out = { checks: {} }
const browser = await chromium.launch({
  executablePath: process.env.QUIRE_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
})
try {
  const context = await browser.newContext()
  const a = await context.newPage()
  const b = await context.newPage()
  const errors = []
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(String(e)))
  await a.goto(`${base}/?doc=${encodeURIComponent(doc)}&user=Ada`)
  await b.goto(`${base}/?doc=${encodeURIComponent(doc)}&user=Bob`)
  for (const p of [a, b]) await p.waitForSelector('#status[data-state="saved"]', { timeout: 20000 })

  await a.click('#editor .ProseMirror')
  await a.keyboard.type('Hello from tab A')
  await b.waitForFunction(() => document.querySelector('#editor .ProseMirror').textContent.includes('Hello from tab A'),
    null, { timeout: 10000 })
  out.checks.typedTextReachesOtherTab = true
  await b.waitForSelector('.collaboration-carets__label', { timeout: 10000 })
  out.checks.caretOfOtherUser = (await b.textContent('.collaboration-carets__label')).includes('Ada')

  await b.click('#editor .ProseMirror')
  await b.keyboard.press('End')
  await b.keyboard.type(' and B')
  await a.waitForFunction(() => document.querySelector('#editor .ProseMirror').textContent.includes('and B'), null, { timeout: 10000 })
  await a.waitForSelector('#status[data-state="saved"]', { timeout: 20000 })
  await b.waitForSelector('#status[data-state="saved"]', { timeout: 20000 })
  out.checks.bothDirections = true

  // the history page needs the persister to have stored the versions: retry until the slider is enabled
  const h = await context.newPage()
  h.on('pageerror', (e) => errors.push(String(e)))
  let versions = 0
  for (let i = 0; i < 40 && versions < 2; i++) {
    await h.goto(`${base}/history.html?doc=${encodeURIComponent(doc)}`)
    await h.waitForSelector('body[data-ready="true"]', { timeout: 10000 })
    versions = Number(await h.getAttribute('#slider', 'max')) + 1
    if (versions < 2) await h.waitForTimeout(500)
  }
  out.versions = versions
  const last = await h.textContent('#text')
  await h.locator('#slider').fill('0') // moves the range input and fires its input event
  await h.waitForFunction((l) => document.querySelector('#text').textContent !== l, last, { timeout: 10000 })
  const first = await h.textContent('#text')
  out.lastText = last
  out.firstText = first
  out.checks.sliderShowsAnEarlierVersion = last.includes('Hello from tab A and B') && first !== last &&
    'Hello from tab A and B'.startsWith(first.trim().slice(0, 1))
  out.errors = errors
  out.ok = Object.values(out.checks).every(Boolean) && errors.length === 0 && versions >= 2
} catch (e) {
  out.error = String(e)
  out.ok = false
} finally {
  await browser.close()
}
process.stdout.write(JSON.stringify(out) + '\n')
process.exit(out.ok ? 0 : 1)
