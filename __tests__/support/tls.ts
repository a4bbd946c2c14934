import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A self-signed certificate and its key for the host `name` (openssl, valid one day). */
export function selfSignedCertificate(name: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ws-tls-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=DNS:${name}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem')
      ],
      { stdio: 'ignore' }
    )
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A private certificate authority and a certificate it signed for the hosts `names` (openssl,
 * valid one day): what a company's TLS-inspecting proxy or internal CA hands out.
 */
export function privateCa(names: string[]): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ws-ca-'))
  const file = (name: string): string => join(dir, name)
  const openssl = (...args: string[]): void =>
    void execFileSync('openssl', args, { stdio: 'ignore' })
  try {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=Test Private CA',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem')
    )
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${names[0]}`,
      '-keyout',
      file('key.pem'),
      '-out',
      file('req.csr')
    )
    writeFileSync(file('ext.cnf'), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\n`)
    openssl(
      'x509',
      '-req',
      '-in',
      file('req.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file('ext.cnf'),
      '-out',
      file('cert.pem')
    )
    return {
      ca: readFileSync(file('ca.pem'), 'utf8'),
      key: readFileSync(file('key.pem'), 'utf8'),
      cert: readFileSync(file('cert.pem'), 'utf8')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
