/*
 * The faults the emulators inject (EmulatorServer): acting then answering badly, late, cut
 * off, dripping or huge, and a page answered again and again. The tests of the action use
 * them to reproduce a lost, slow or malformed answer.
 */
import { describe, expect, it } from '@jest/globals'
import { WorkloadSecurityEmulator } from '../../emulators/workload-security.js'
import { askWorkloadSecurity, useEmulators } from '../support/emulators.js'

const emulators = useEmulators()

/** One exchange with the Workload Security emulator over loopback HTTP. */
const ws = (method: string, path: string, secret: string, body?: unknown, signal?: AbortSignal) =>
  askWorkloadSecurity(emulators.current.ws.url, method, path, secret, body, signal)

/** Reads a response body until it ends, the signal aborts, or more than `cap` bytes arrived. */
async function readBody(
  res: Response,
  cap = Infinity
): Promise<{ bytes: number; text: string; error?: unknown }> {
  const reader = res.body!.getReader()
  const chunks: Uint8Array[] = []
  let bytes = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      bytes += value.length
      if (bytes > cap) {
        await reader.cancel()
        break
      }
    }
  } catch (error) {
    return { bytes, text: Buffer.concat(chunks).toString('utf8'), error }
  }
  return { bytes, text: Buffer.concat(chunks).toString('utf8') }
}

function request(path: string, secret: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${emulators.current.ws.url}${path}`, {
    ...init,
    headers: { 'api-version': 'v1', 'api-secret-key': secret, accept: 'application/json' }
  })
}

describe('emulator faults', () => {
  it('act with rawBody: the manager regenerates, then the answer is not JSON', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    const old = deployer.secret
    emulator.inject({
      path: `/apikeys/${deployer.ID}/secretkey`,
      act: true,
      rawBody: '<html>gateway</html>'
    })
    const res = await request(`/apikeys/${deployer.ID}/secretkey`, admin.secret, {
      method: 'POST'
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('<html>gateway</html>')
    expect(emulator.authenticates(old)).toBe(false)
    expect(emulator.requests('POST', `/apikeys/${deployer.ID}/secretkey`)[0].acted).toBe(true)
  })

  it('act with status: the key is deleted although the answer says 500', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    emulator.inject({ method: 'DELETE', path: `/apikeys/${deployer.ID}`, act: true, status: 500 })
    const answer = await ws('DELETE', `/apikeys/${deployer.ID}`, admin.secret)
    expect(answer.status).toBe(500)
    expect(emulator.keys.has(deployer.ID)).toBe(false)
  })

  it('an injected status without act changes nothing', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    emulator.inject({ method: 'DELETE', path: `/apikeys/${deployer.ID}`, status: 500 })
    expect((await ws('DELETE', `/apikeys/${deployer.ID}`, admin.secret)).status).toBe(500)
    expect(emulator.keys.has(deployer.ID)).toBe(true)
    expect(emulator.requests('DELETE')[0].acted).toBe(false)
  })

  it('respondAfterMs: acts at once and is logged as acted although the client gave up', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    const old = deployer.secret
    emulator.inject({ path: `/apikeys/${deployer.ID}/secretkey`, respondAfterMs: 60_000 })
    const started = Date.now()
    await expect(
      ws(
        'POST',
        `/apikeys/${deployer.ID}/secretkey`,
        admin.secret,
        undefined,
        AbortSignal.timeout(200)
      )
    ).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(emulator.authenticates(old)).toBe(false)
    const [exchange] = emulator.requests('POST', `/apikeys/${deployer.ID}/secretkey`)
    expect(exchange).toMatchObject({ acted: true, status: 200 })
    // The answer that never went out was the real one, with the new secret.
    expect((exchange.responseBody as { secretKey: string }).secretKey).toBe(
      emulator.keys.get(deployer.ID)!.secret
    )
  })

  it('truncate: acts, announces the whole length and sends half of the body', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    const old = deployer.secret
    emulator.inject({ path: `/apikeys/${deployer.ID}/secretkey`, truncate: true })
    const res = await request(`/apikeys/${deployer.ID}/secretkey`, admin.secret, {
      method: 'POST'
    })
    expect(res.status).toBe(200)
    const announced = Number(res.headers.get('content-length'))
    const body = await readBody(res)
    expect(body.error).toBeDefined()
    expect(body.bytes).toBe(Math.floor(announced / 2))
    expect(() => JSON.parse(body.text)).toThrow()
    expect(emulator.authenticates(old)).toBe(false)
  })

  it('dripMs: sends a byte at a time, so only a deadline cuts it', async () => {
    const { admin } = emulators.current
    emulators.current.ws.inject({ path: '/apikeys', dripMs: 20 })
    const res = await request('/apikeys', admin.secret, { signal: AbortSignal.timeout(300) })
    const announced = Number(res.headers.get('content-length'))
    const body = await readBody(res)
    expect(body.error).toBeDefined()
    expect(body.bytes).toBeGreaterThan(2)
    expect(body.bytes).toBeLessThan(announced)
  })

  it('stop() clears the timers of a drip and a late answer', async () => {
    const emulator = new WorkloadSecurityEmulator()
    emulator.addRole({ ID: 1, name: 'Full Access' })
    const key = emulator.addKey({ keyName: 'k', roleID: 1 })
    await emulator.start()
    try {
      emulator.inject({ path: '/apikeys/current', dripMs: 10_000 })
      emulator.inject({ path: '/apikeys/current', respondAfterMs: 10_000 })
      const headers = { 'api-version': 'v1', 'api-secret-key': key.secret }
      const drip = await fetch(`${emulator.url}/apikeys/current`, { headers })
      const late = fetch(`${emulator.url}/apikeys/current`, { headers }).then(
        () => 'answered',
        () => 'failed'
      )
      while (emulator.requests().length < 2) await new Promise((r) => setTimeout(r, 10))
      expect(emulator.pendingTimers).toBe(2)
      await emulator.stop()
      expect(emulator.pendingTimers).toBe(0)
      expect((await readBody(drip)).error).toBeDefined()
      expect(await late).toBe('failed')
    } finally {
      await emulator.stop()
    }
  })

  it('hugeBodyBytes: streams a valid JSON body of about that size without acting', async () => {
    const { admin, deployer, ws: emulator } = emulators.current
    const old = deployer.secret
    emulator.inject({ path: `/apikeys/${deployer.ID}/secretkey`, hugeBodyBytes: 300_000 })
    const res = await request(`/apikeys/${deployer.ID}/secretkey`, admin.secret, {
      method: 'POST'
    })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text.length).toBe(300_000)
    expect((JSON.parse(text) as { message: string }).message).toMatch(/^x+$/)
    expect(emulator.authenticates(old)).toBe(true)
    expect(emulator.requests('POST')[0].acted).toBe(false)
  })

  it('hugeBodyBytes: a capped reader stops early and the emulator keeps answering', async () => {
    const { admin, ws: emulator } = emulators.current
    emulator.inject({ path: '/apikeys', hugeBodyBytes: 200 * 1024 * 1024 })
    const res = await request('/apikeys', admin.secret)
    expect(Number(res.headers.get('content-length'))).toBe(200 * 1024 * 1024)
    const started = Date.now()
    const body = await readBody(res, 1024 * 1024)
    expect(body.bytes).toBeLessThan(2 * 1024 * 1024)
    expect((await ws('GET', '/apikeys/current', admin.secret)).status).toBe(200)
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('status 200 with body and times answers the same page again and again', async () => {
    const { admin, ws: emulator } = emulators.current
    const page = { apiKeys: [{ ID: 1, keyName: 'ci-admin', roleID: 1, active: true }] }
    emulator.inject({ method: 'GET', path: '/apikeys', status: 200, body: page, times: 3 })
    for (let i = 0; i < 3; i++)
      expect((await ws('GET', '/apikeys', admin.secret)).body).toEqual(page)
    const real = await ws('GET', '/apikeys', admin.secret)
    expect((real.body.apiKeys as unknown[]).length).toBe(emulator.keys.size)
    emulator.inject({ method: 'GET', path: '/apikeys', body: page })
    expect(await ws('GET', '/apikeys', admin.secret)).toEqual({ status: 200, body: page })
  })
})
