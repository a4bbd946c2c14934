/**
 * The connection inputs (api-url, api-version, ca-certificate) guard the secret: the API secret
 * only travels over TLS unless the manager is on this machine, a URL never carries a credential,
 * a header value cannot carry a second header, and a certificate the user gives is used. (First
 * written to kill mutants of src/inputs.ts that the other tests left alive.) Every other input
 * rule: inputs.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { InputError, readSettings, type InputName } from '../../src/inputs.js'

const ENV = { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: 'https://api.github.com' }
const DESCRIBE = { operation: 'describe', 'api-secret-key': '3:s3cr3t-value', 'key-id': '1' }

function read(inputs: Partial<Record<InputName, string>>) {
  return readSettings((name) => inputs[name] ?? '', ENV)
}

/** The InputError message for these inputs, or undefined when they are accepted. */
function problem(inputs: Partial<Record<InputName, string>>): string | undefined {
  try {
    read(inputs)
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
}

const PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGUgZm9yIHRlc3RzIG9ubHkwCgYIKoZI',
  'zj0EAwIwFDESMBAGA1UEAwwJbG9jYWxob3N0MB4XDTI2MDEwMTAwMDAwMFoXDTI2',
  '-----END CERTIFICATE-----'
].join('\n')

describe('api-url', () => {
  it('allows plain http only when the whole host is a loopback name or address', () => {
    for (const url of [
      'http://localhost:4119/api',
      'http://127.0.0.1:4119/api',
      'http://127.10.20.30/api',
      'http://[::1]:4119/api'
    ])
      expect([url, problem({ ...DESCRIBE, 'api-url': url })]).toEqual([url, undefined])
    for (const url of [
      'http://localhost.example.com/api',
      'http://mylocalhost/api',
      'http://127.0.0.1.nip.io/api',
      'ftp://localhost/api'
    ])
      expect([url, problem({ ...DESCRIBE, 'api-url': url })]).toEqual([
        url,
        expect.stringMatching(/api-url .* must use https:\/\//)
      ])
  })

  it('refuses a URL with a user name alone or a password alone, and never repeats either', () => {
    for (const url of [
      'https://tokenInTheUserName@dsm.example.com/api',
      'https://:passwordAlone@dsm.example.com/api'
    ]) {
      const message = problem({ ...DESCRIBE, 'api-url': url })
      expect(message).toMatch(/api-url must not contain credentials/)
      expect(message).not.toMatch(/tokenInTheUserName|passwordAlone/)
    }
  })

  it('drops trailing slashes, however many', () => {
    const s = read({ ...DESCRIBE, 'api-url': 'https://dsm.example.com:4119/api//' })
    expect(s.connection.apiUrl).toBe('https://dsm.example.com:4119/api')
  })
})

describe('api-version', () => {
  it('is one header-safe token: a value that could smuggle text into the request is refused', () => {
    const base = { ...DESCRIBE, 'api-url': 'https://dsm.example.com/api' }
    expect(read({ ...base, 'api-version': 'v1' }).connection.apiVersion).toBe('v1')
    for (const version of ['v1 x', 'x\r\nX-Evil: 1', 'v1\nX-Evil: 1', 'v1;x'])
      expect(problem({ ...base, 'api-version': version })).toMatch(
        /api-version .* is not a version/s
      )
  })
})

describe('ca-certificate', () => {
  it('is kept when it holds a PEM certificate, and refused when it holds none', () => {
    const base = { ...DESCRIBE, 'api-url': 'https://dsm.example.com/api' }
    expect(read({ ...base, 'ca-certificate': PEM }).connection.caCertificate).toContain(
      '-----BEGIN CERTIFICATE-----'
    )
    expect(
      problem({
        ...base,
        'ca-certificate': '-----BEGIN CERTIFICATE----------END CERTIFICATE-----'
      })
    ).toMatch(/ca-certificate must hold one or more PEM certificates/)
  })
})
