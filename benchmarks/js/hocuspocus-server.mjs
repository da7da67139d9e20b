// A Hocuspocus 4.x server for the latency/capacity benchmark (see ../run-latency.sh), with its defaults
// (no persistence, no authentication hook), optionally joined to other instances by @hocuspocus/extension-redis.
//
// Usage: node --expose-gc hocuspocus-server.mjs --port 18090 --stats-port 18190 [--redis 127.0.0.1:6379 --prefix p]
//        [--deflate] (accept permessage-deflate, which Hocuspocus's underlying ws server declines by default)
// Prints one line "listening <port>" when ready. GET http://127.0.0.1:<stats-port>/heap runs gc() three times (when
// --expose-gc was given) and answers {heapUsed, rss, connections, documents, gc}.
import { Server } from '@hocuspocus/server'
import { Redis } from '@hocuspocus/extension-redis'
import http from 'node:http'

const args = process.argv.slice(2)
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : def
}
const port = Number(opt('port', '18090'))
const statsPort = Number(opt('stats-port', '0'))
const redis = opt('redis', '')

const extensions = []
if (redis) {
  const [host, redisPort] = redis.split(':')
  extensions.push(new Redis({ host, port: Number(redisPort), prefix: opt('prefix', 'hocuspocus-bench') }))
}

const websocketOptions = args.includes('--deflate') ? { perMessageDeflate: true } : {}
const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: true, extensions, websocketOptions })
await server.listen()

if (statsPort) {
  http.createServer((req, res) => {
    let collected = false
    if (typeof globalThis.gc === 'function') {
      for (let i = 0; i < 3; i++) globalThis.gc()
      collected = true
    }
    const m = process.memoryUsage()
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({
      heapUsed: m.heapUsed,
      rss: m.rss,
      connections: server.hocuspocus.getConnectionsCount(),
      documents: server.hocuspocus.getDocumentsCount(),
      gc: collected,
    }))
  }).listen(statsPort, '127.0.0.1')
}
console.log(`listening ${port}`)
