// The history page of `quire dev`: a slider over a document's versions (each update stored in Kafka, from the
// documents API), showing the document's text at each one. ?doc= names the document.
const params = new URLSearchParams(location.search)
const name = params.get('doc') || 'welcome'
const api = `/api/documents/${encodeURIComponent(name)}`
const slider = document.querySelector('#slider')
const label = document.querySelector('#label')
const text = document.querySelector('#text')
document.querySelector('#doc').textContent = name
document.querySelector('#editor-link').href = `./?doc=${encodeURIComponent(name)}`

/** Every version (offset, time) of the document, following the API's pages. */
async function versions () {
  const all = []
  let url = `${api}/history?limit=1000`
  while (url) {
    const r = await fetch(url)
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`)
    const page = await r.json()
    all.push(...page.versions)
    url = page.next != null ? `${api}/history?limit=1000&after=${page.next}` : null
  }
  return all
}

/** The document's text at an offset: its XML (Tiptap) roots as plain text, its text roots as they are. */
async function textAt (offset) {
  const r = await fetch(`${api}/versions/at?offset=${offset}&format=json`)
  const body = await r.json()
  return Object.values(body.roots).map((v) => {
    if (typeof v !== 'string') return JSON.stringify(v)
    const parsed = new DOMParser().parseFromString(`<root>${v}</root>`, 'application/xml')
    return parsed.documentElement.querySelector('parsererror') ? v
      : [...parsed.documentElement.children].map((e) => e.textContent).join('\n') || parsed.documentElement.textContent
  }).join('\n')
}

let list = []
async function show () {
  const v = list[Number(slider.value)]
  label.textContent = `version ${Number(slider.value) + 1} of ${list.length}: offset ${v.offset}, ${v.time}`
  text.textContent = await textAt(v.offset)
  text.dataset.offset = String(v.offset)
}

try {
  list = await versions()
  if (list.length === 0) {
    label.textContent = 'no versions yet: edit the document first'
  } else {
    slider.max = String(list.length - 1)
    slider.value = slider.max
    slider.disabled = false
    slider.addEventListener('input', show)
    await show()
  }
} catch (e) {
  label.textContent = `could not read the history: ${e.message}`
}
document.body.dataset.ready = 'true'
