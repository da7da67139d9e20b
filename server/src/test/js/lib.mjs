// Helpers shared by the scripts that a test steers through stdin (kafka-outage.mjs, redis-outage.mjs).
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls cond every 20 ms for up to ms milliseconds; resolves to its last value. */
export async function until (cond, ms) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (cond()) return true
    await sleep(20)
  }
  return cond()
}
