import type { IncomingMessage } from 'node:http'

/** The largest answer body read; anything longer is an error, never a slow quadratic read. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * The cap of the answers that list every key or role at once: 5,000 keys with every field take
 * about 1.3 MB, and an audit must read them in one call.
 */
export const MAX_LIST_BYTES = 32 * 1024 * 1024

/**
 * Reads a response body to its end, as UTF-8. Fails when the body exceeds `maxBytes`
 * (code `EBODYTOOLARGE`), when the connection closes before the body is complete (code
 * `ETRUNCATED`, with what did arrive as `partial`), or when `signal` aborts (the request's
 * deadline): never waits forever.
 */
export function readCapped(
  response: IncomingMessage,
  signal: AbortSignal,
  maxBytes = MAX_BODY_BYTES
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const fail = (error: Error): void => {
      cleanup()
      response.destroy()
      reject(error)
    }
    // The reason may come from another realm (a DOMException): judge it by its name.
    const onAbort = (): void => {
      const reason = signal.reason as { name?: unknown; message?: unknown } | undefined
      fail(
        Object.assign(new Error(String(reason?.message ?? 'aborted')), {
          name: typeof reason?.name === 'string' ? reason.name : 'AbortError'
        })
      )
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > maxBytes) {
        const mib = maxBytes / (1024 * 1024)
        fail(
          Object.assign(new Error(`the answer was larger than ${mib} MiB`), {
            code: 'EBODYTOOLARGE'
          })
        )
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(Buffer.concat(chunks).toString('utf8'))
    }
    const onClose = (): void => {
      if (!response.complete)
        fail(
          Object.assign(new Error('the answer was cut off mid-body'), {
            code: 'ETRUNCATED',
            partial: Buffer.concat(chunks).toString('utf8')
          })
        )
    }
    // A connection reset mid-body ("aborted"): what arrived is kept, as for a clean close.
    const onError = (error: Error): void =>
      fail(Object.assign(error, { partial: Buffer.concat(chunks).toString('utf8') }))
    const cleanup = (): void => {
      signal.removeEventListener('abort', onAbort)
      response.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError)
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort)
    response.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError)
  })
}
