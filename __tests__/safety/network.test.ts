/*
 * The network around the manager: a certificate that is not trusted is tried once and the run
 * says what to set; ca-certificate is trusted, also inside an HTTPS_PROXY tunnel; TLS
 * verification cannot be turned off (NODE_TLS_REJECT_UNAUTHORIZED=0 fails the run before any
 * request); an IPv6 loopback api-url works.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import * as http from 'node:http'
import * as net from 'node:net'
import { networkInterfaces } from 'node:os'
import * as tls from 'node:tls'
import { FULL_RIGHTS, WorkloadSecurityEmulator } from '../../emulators/workload-security.js'
import { leaks, runBundled, runInProcess } from '../support/action.js'
import { checks } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GitHubEmulator } from '../../emulators/github.js'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { privateCa, selfSignedCertificate } from '../support/tls.js'
import '../support/loopback-only.js'

const emulators = useEmulators()
const { expectNoLeak } = checks(emulators)

/** Everything started by a test and stopped after it. */
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const env = (): Record<string, string> => ({
  GITHUB_API_URL: emulators.current.github.url,
  GITHUB_REPOSITORY: 'octo/app'
})

describe('a manager whose certificate is not trusted', () => {
  let server: tls.Server
  let connections = 0

  beforeAll(async () => {
    // A self-signed TLS server that only counts the connections made to it.
    server = tls.createServer(selfSignedCertificate('localhost'))
    server.on('connection', () => connections++)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('is tried once, never retried, and the run says what to set', async () => {
    connections = 0
    const { port } = server.address() as net.AddressInfo
    const run = await runInProcess(
      {
        operation: 'describe',
        'api-secret-key': 'self-signed-test-secret',
        'api-url': `https://localhost:${port}/api`,
        'key-id': 'current',
        'max-attempts': '5'
      },
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/not trusted; .*set ca-certificate/)
    expect(run.log).not.toMatch(/retrying in/)
    expect(connections).toBe(1)
  })
})

describe('ca-certificate through HTTPS_PROXY', () => {
  it('trusts the private CA inside a CONNECT tunnel; without it, fails with the "not trusted" advice', async () => {
    const name = 'dsm.example.test'
    const tls = selfSignedCertificate(name)
    const manager = new WorkloadSecurityEmulator(tls)
    manager.addRole({ ID: 1, name: 'Full Access', apiKeyRights: FULL_RIGHTS })
    const admin = manager.addKey({ keyName: 'admin', roleID: 1 })
    await manager.start()
    cleanups.push(() => manager.stop())
    const managerPort = Number(new URL(manager.url).port)

    // A CONNECT proxy that tunnels any host to the TLS manager on loopback, and nowhere else.
    const connects: string[] = []
    const tunnels = new Set<net.Socket>()
    const proxy = http.createServer((_req, res) => res.writeHead(405).end())
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      connects.push(req.url ?? '')
      tunnels.add(client)
      const upstream = net.connect(managerPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () => new Promise<void>((resolve) => proxy.close(() => resolve())),
      () => tunnels.forEach((socket) => socket.destroy())
    )
    const proxyPort = (proxy.address() as net.AddressInfo).port
    const proxyEnv = {
      HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
      https_proxy: `http://127.0.0.1:${proxyPort}`,
      NO_PROXY: '',
      no_proxy: ''
    }
    const inputs = {
      operation: 'describe',
      'api-secret-key': admin.secret,
      'api-url': `https://${name}:${managerPort}/api`,
      'key-id': 'current',
      'max-attempts': '1'
    }

    const trusted = await runInProcess({ ...inputs, 'ca-certificate': tls.cert }, proxyEnv)
    expect(trusted.failed ? trusted.log : '').toBe('')
    expect(trusted.outputs['key-name']).toBe('admin')
    expect(connects).toContain(`${name}:${managerPort}`)
    expect(manager.requests('GET', '/apikeys/current')).toHaveLength(1)
    expect(leaks(trusted, [admin.secret])).toEqual([])

    connects.length = 0
    const untrusted = await runInProcess(inputs, proxyEnv)
    expect(untrusted.failed).toBe(true)
    expect(untrusted.log).toMatch(/::error::.*not trusted.*set ca-certificate/)
    expect(connects).toContain(`${name}:${managerPort}`)
    expect(manager.requests('GET', '/apikeys/current')).toHaveLength(1)
    expect(leaks(untrusted, [admin.secret])).toEqual([])
  }, 20_000)
})

describe('NODE_TLS_REJECT_UNAUTHORIZED=0', () => {
  it.each([
    ['in-process', runInProcess],
    ['bundle', runBundled]
  ] as const)('%s: fails with a clear message before any request', async (_how, runner) => {
    const { ws, github, admin } = emulators.current
    const run = await runner(
      {
        operation: 'describe',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': 'current'
      },
      { NODE_TLS_REJECT_UNAUTHORIZED: '0' }
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/::error::.*NODE_TLS_REJECT_UNAUTHORIZED=0/)
    expect(ws.log).toHaveLength(0)
    expect(github.log).toHaveLength(0)
    expect(run.summary).toContain('<h2>unchanged: Workload Security API key')
    expectNoLeak(run)
  })
})

describe('an IPv6 loopback api-url', () => {
  const hasIPv6Loopback = Object.values(networkInterfaces()).some((list) =>
    list?.some((i) => i.address === '::1')
  )
  ;(hasIPv6Loopback ? it : it.skip)(
    hasIPv6Loopback
      ? 'http://[::1]:<port>/api works'
      : 'http://[::1]:<port>/api works (skipped: this machine has no IPv6 loopback ::1)',
    async () => {
      const { ws, admin } = emulators.current
      const target = new URL(ws.url)
      // A tiny reverse proxy on ::1 in front of the emulator on 127.0.0.1.
      const front = http.createServer((req, res) => {
        const upstream = http.request(
          {
            host: '127.0.0.1',
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
          }
        )
        upstream.on('error', () => res.destroy())
        req.pipe(upstream)
      })
      await new Promise<void>((resolve) => front.listen(0, '::1', resolve))
      cleanups.push(() => new Promise<void>((resolve) => front.close(() => resolve())))
      cleanups.push(() => void front.closeAllConnections())
      const port = (front.address() as net.AddressInfo).port
      const run = await runInProcess({
        operation: 'describe',
        'api-secret-key': admin.secret,
        'api-url': `http://[::1]:${port}/api`,
        'key-id': 'current'
      })
      expect(run.failed ? run.log : '').toBe('')
      expect(run.outputs['key-id']).toBe(String(admin.ID))
      expect(ws.requests('GET', '/apikeys/current')).toHaveLength(1)
      expectNoLeak(run)
    }
  )
})

describe('both APIs behind a CONNECT-only egress proxy', () => {
  it('bundle: rotates through the proxy, GitHub over TLS trusted through NODE_EXTRA_CA_CERTS', async () => {
    // One private CA signs both servers' certificates; the runner trusts it through
    // NODE_EXTRA_CA_CERTS alone (no ca-certificate input).
    const { ca, key, cert } = privateCa(['manager.corp.test', 'github.corp.test'])
    const dir = mkdtempSync(join(tmpdir(), 'ws-proxy-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const caFile = join(dir, 'ca.pem')
    writeFileSync(caFile, ca)

    const manager = new WorkloadSecurityEmulator({ key, cert })
    manager.addRole({ ID: 1, name: 'Full Access', apiKeyRights: FULL_RIGHTS })
    const admin = manager.addKey({ keyName: 'admin', roleID: 1 })
    const deployer = manager.addKey({ keyName: 'deployer', roleID: 1 })
    const github = await GitHubEmulator.create({ key, cert })
    github.addToken(WRITE_TOKEN, { write: true })
    github.addRepository('octo/app')
    await Promise.all([manager.start(), github.start()])
    cleanups.push(
      () => manager.stop(),
      () => github.stop()
    )
    const ports: Record<string, number> = {
      'manager.corp.test': Number(new URL(manager.url).port),
      'github.corp.test': Number(new URL(github.url).port)
    }

    // The only way out: a proxy that tunnels the two hosts, and nothing else.
    const connects: string[] = []
    const tunnels = new Set<net.Socket>()
    const proxy = http.createServer((_req, res) => res.writeHead(405).end())
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      connects.push(req.url ?? '')
      tunnels.add(client)
      const [host, port] = (req.url ?? '').split(':')
      if (ports[host] !== Number(port)) {
        client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
        return
      }
      const upstream = net.connect(ports[host], '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () => new Promise<void>((resolve) => proxy.close(() => resolve())),
      () => tunnels.forEach((socket) => socket.destroy())
    )
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`

    const old = deployer.secret
    const run = await runBundled(
      {
        operation: 'rotate',
        'api-secret-key': admin.secret,
        'api-url': `https://manager.corp.test:${ports['manager.corp.test']}/api`,
        'key-id': String(deployer.ID),
        'secret-name': 'WS_KEY',
        repositories: 'octo/app',
        'github-token': WRITE_TOKEN,
        'max-attempts': '1'
      },
      {
        GITHUB_API_URL: `https://github.corp.test:${ports['github.corp.test']}`,
        HTTPS_PROXY: proxyUrl,
        https_proxy: proxyUrl,
        NO_PROXY: '',
        no_proxy: '',
        NODE_EXTRA_CA_CERTS: caFile
      }
    )
    expect(run.failed ? run.log : '').toBe('')
    const fresh = manager.keys.get(deployer.ID)!.secret
    expect(fresh).not.toBe(old)
    expect(github.secret({ repository: 'octo/app' }, 'WS_KEY')?.value).toBe(fresh)
    expect(JSON.parse(run.outputs.result).verified).toBe(true)
    // Every request went through the tunnel: the hosts' names never resolve here.
    expect(new Set(connects)).toEqual(
      new Set([
        `manager.corp.test:${ports['manager.corp.test']}`,
        `github.corp.test:${ports['github.corp.test']}`
      ])
    )
    expect(github.log.length).toBeGreaterThan(3)
    expect(leaks(run, [old, fresh, admin.secret, WRITE_TOKEN])).toEqual([])
  }, 30_000)
})
