import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import dns from 'node:dns'
import http from 'node:http'
import net from 'node:net'
import tls from 'node:tls'
import {
  assertNoViolations,
  isLoopbackHost,
  NON_LOOPBACK_MESSAGE,
  passedThrough,
  takeViolations
} from '../support/loopback-only.js'

// Every refused attempt below is refused before Node's real connect or resolver is called (the
// pass-through count does not move and the socket never gets a handle), so no packet leaves;
// only 127.0.0.1 is ever really connected to. 10.0.0.0/8 is private and 203.0.113.0/24 is
// TEST-NET-3 (RFC 5737): neither is anybody's server even if the guard failed.

/** The error a socket ends with, or undefined if it connected. */
function outcome(socket: net.Socket): Promise<Error | undefined> {
  return new Promise((resolve) => {
    socket.once('error', resolve)
    socket.once('connect', () => {
      socket.destroy()
      resolve(undefined)
    })
  })
}

async function refused(attempt: () => net.Socket, target: string): Promise<void> {
  const before = passedThrough()
  const socket = attempt()
  const error = await outcome(socket)
  expect(error?.message).toContain(`${NON_LOOPBACK_MESSAGE} to ${target}`)
  expect((error as NodeJS.ErrnoException | undefined)?.code).toBe('ERR_NON_LOOPBACK_CONNECTION')
  expect(passedThrough()).toBe(before)
  expect((socket as unknown as { _handle: unknown })._handle ?? null).toBeNull()
  expect(takeViolations()).toEqual([expect.stringContaining(target)])
}

let server: net.Server
let port: number
beforeAll(async () => {
  server = net.createServer((socket) => socket.end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as net.AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('the loopback-only guard', () => {
  it('refuses 10.0.0.1:443 through net.connect, in each call form', async () => {
    await refused(() => net.connect(443, '10.0.0.1'), '10.0.0.1:443')
    await refused(() => net.connect({ host: '10.0.0.1', port: 443 }), '10.0.0.1:443')
    await refused(() => new net.Socket().connect(443, '10.0.0.1'), '10.0.0.1:443')
  })

  it('refuses 203.0.113.5 through tls.connect, http.request and a hostname', async () => {
    await refused(() => tls.connect({ host: '203.0.113.5', port: 443 }), '203.0.113.5:443')
    const before = passedThrough()
    const error = await new Promise<Error>((resolve) =>
      http.get('http://203.0.113.5:8080/', () => undefined).once('error', resolve)
    )
    expect(error.message).toContain(`${NON_LOOPBACK_MESSAGE} to 203.0.113.5:8080`)
    expect(takeViolations()).toEqual([expect.stringContaining('203.0.113.5:8080')])
    await refused(() => net.connect(443, 'workload.us-1.cloudone.trendmicro.com'), 'workload.us-1')
    expect(passedThrough()).toBe(before)
  })

  it('refuses fetch to a non-loopback address', async () => {
    const before = passedThrough()
    const error = (await fetch('https://203.0.113.5/').catch((e: unknown) => e)) as Error
    expect(String((error.cause as Error | undefined)?.message)).toContain(NON_LOOPBACK_MESSAGE)
    expect(passedThrough()).toBe(before)
    expect(takeViolations()).toEqual([expect.stringContaining('203.0.113.5:443')])
  })

  it('refuses DNS lookups of other names before any query', async () => {
    const before = passedThrough()
    const error = await new Promise<Error | null>((resolve) =>
      dns.lookup('api.github.com', (e) => resolve(e))
    )
    expect(error?.message).toContain(`${NON_LOOPBACK_MESSAGE} to api.github.com`)
    await expect(dns.promises.resolve4('example.com')).rejects.toThrow(NON_LOOPBACK_MESSAGE)
    expect(passedThrough()).toBe(before)
    expect(takeViolations()).toHaveLength(2)
  })

  it('allows 127.0.0.1, localhost and ::1-style names', async () => {
    const before = passedThrough()
    expect(await outcome(net.connect(port, '127.0.0.1'))).toBeUndefined()
    expect(await outcome(net.connect({ host: 'localhost', port, family: 4 }))).toBeUndefined()
    expect(passedThrough()).toBeGreaterThan(before)
    expect(takeViolations()).toEqual([])
  })

  it('fails the test even when the code under test swallows the error', async () => {
    net.connect(443, '10.0.0.1').on('error', () => undefined)
    await new Promise((resolve) => setImmediate(resolve))
    expect(() => assertNoViolations()).toThrow(`${NON_LOOPBACK_MESSAGE} to 10.0.0.1:443`)
    expect(takeViolations()).toEqual([])
  })

  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['203.0.113.5', false],
    ['0.0.0.0', false],
    ['::', false],
    ['::ffff:10.0.0.1', false],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false]
  ])('classifies %s as loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback)
  })
})
