// Bundles the demo pages into dist/ (quire dev serves that directory): node build.mjs
import { build } from 'esbuild'
import { cpSync, mkdirSync } from 'node:fs'

mkdirSync('dist', { recursive: true })
await build({
  entryPoints: ['src/editor.js', 'src/history.js'],
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: 'es2022',
  outdir: 'dist',
  logLevel: 'warning'
})
for (const f of ['index.html', 'history.html', 'quire.css']) cpSync(f, `dist/${f}`)
console.log('built web/dist')
