// The demo editor of `quire dev`: Tiptap on a Yjs document, synced through @hocuspocus/provider with the front
// that serves this page; other users' carets shown with their names. The document is the page's ?doc= (default
// "welcome"). Nothing is loaded from a CDN: this file and its packages are bundled by build.mjs.
import { Editor } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { HocuspocusProvider } from '@hocuspocus/provider'
import * as Y from 'yjs'

const params = new URLSearchParams(location.search)
const name = params.get('doc') || 'welcome'
const colors = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6']
const user = {
  name: params.get('user') || 'user-' + Math.floor(Math.random() * 1000),
  color: colors[Math.floor(Math.random() * colors.length)]
}

const doc = new Y.Doc()
const provider = new HocuspocusProvider({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/hocuspocus`,
  name,
  document: doc
})

const editor = new Editor({
  element: document.querySelector('#editor'),
  extensions: [
    StarterKit.configure({ undoRedo: false }), // Yjs keeps the history
    Collaboration.configure({ document: doc }),
    CollaborationCaret.configure({ provider, user })
  ]
})

document.querySelector('#doc').textContent = name
document.querySelector('#user').textContent = user.name
document.querySelector('#history').href = `history.html?doc=${encodeURIComponent(name)}`
const status = document.querySelector('#status')
const showStatus = () => {
  status.textContent = !provider.isSynced ? 'connecting…' : provider.hasUnsyncedChanges ? 'saving…' : 'saved'
  status.dataset.state = !provider.isSynced ? 'connecting' : provider.hasUnsyncedChanges ? 'saving' : 'saved'
}
provider.on('synced', showStatus)
provider.on('unsyncedChanges', showStatus)
provider.on('status', showStatus)
showStatus()
window.quire = { editor, provider, doc } // for the browser test
