/**
 * The replay block, run as the shell would run it: for each destination, one `curl` command
 * whose URL and body store exactly the sealed value the run wrote (first written to kill
 * mutants of src/github/replay.ts). That a run prints it before its first write, and that it
 * stores a working secret: operations/rotate-delivery.test.ts and cancellation.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { replayBlock } from '../../src/github/replay.js'

/**
 * The commands of a replay block as bash runs them: every `curl` is a shell function that prints
 * the arguments it got, so quoting is judged by the shell itself.
 */
function commands(block: string): { url: string; body: unknown; auth: string }[] {
  const script = [
    `curl() { printf '%s\\0' "$@"; printf '\\n'; }`,
    'WRITER_TOKEN=$WRITER_TOKEN',
    ...block.split('\n').filter((line) => /^ {2}curl | {4}/.test(line))
  ].join('\n')
  const output = execFileSync('bash', ['-c', script], {
    env: { PATH: process.env.PATH, WRITER_TOKEN: '$WRITER_TOKEN' },
    encoding: 'utf8'
  })
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const args = line.split('\0').slice(0, -1)
      return {
        auth: args[args.indexOf('-H') + 1].replace('Authorization: Bearer ', ''),
        url: args[args.length - 3],
        body: JSON.parse(args[args.length - 1])
      }
    })
}

describe('replayBlock', () => {
  it('gives every destination a command that PUTs its own sealed value to its own path', () => {
    const block = replayBlock('https://api.github.com', 'WS_KEY', [
      {
        destination: { type: 'actions', kind: 'repository', repository: 'octo/app' },
        sealed: { encryptedValue: 'c2VhbGVkLWZvci1hcHA=', keyId: 'k-app' }
      },
      {
        destination: {
          type: 'actions',
          kind: 'environment',
          repository: 'octo/api',
          environment: 'prod/eu'
        },
        sealed: { encryptedValue: 'c2VhbGVkLWZvci1hcGk=', keyId: 'k-api' }
      },
      {
        destination: { type: 'dependabot', kind: 'organization', organization: 'octo' },
        sealed: { encryptedValue: 'c2VhbGVkLWZvci1vcmc=', keyId: 'k-org' },
        access: { visibility: 'selected', selectedRepositoryIds: [7, 9] }
      }
    ])
    expect(commands(block)).toEqual([
      {
        auth: '$WRITER_TOKEN',
        url: 'https://api.github.com/repos/octo/app/actions/secrets/WS_KEY',
        body: { encrypted_value: 'c2VhbGVkLWZvci1hcHA=', key_id: 'k-app' }
      },
      {
        auth: '$WRITER_TOKEN',
        url: 'https://api.github.com/repos/octo/api/environments/prod%2Feu/secrets/WS_KEY',
        body: { encrypted_value: 'c2VhbGVkLWZvci1hcGk=', key_id: 'k-api' }
      },
      {
        auth: '$WRITER_TOKEN',
        url: 'https://api.github.com/orgs/octo/dependabot/secrets/WS_KEY',
        body: {
          encrypted_value: 'c2VhbGVkLWZvci1vcmc=',
          key_id: 'k-org',
          visibility: 'selected',
          selected_repository_ids: [7, 9]
        }
      }
    ])
    // Each command is introduced by the destination it stores and the key it was sealed for.
    expect(block).toContain('Replay for repository octo/app (sealed for its public key k-app):')
    expect(block).toContain(
      'Replay for Dependabot organization octo (sealed for its public key k-org):'
    )
    // The block says what it is, and that it is safe to show, before any command.
    const [intro] = block.split('\n')
    expect(intro).toMatch(/^Sealed copies of the new secret, one per destination \(safe to show/)
    expect(intro).toContain("never the workflow's GITHUB_TOKEN")
  })

  it('puts each command on one line (a log archive prefixes every line with a timestamp)', () => {
    const block = replayBlock('https://ghe.example.com/api/v3', 'K', [
      {
        destination: { type: 'codespaces', kind: 'repository', repository: 'o/r' },
        sealed: { encryptedValue: 'AAAA', keyId: '1' }
      }
    ])
    expect(block.split('\n')).toEqual([
      expect.stringMatching(/^Sealed copies/),
      'Replay for Codespaces repository o/r (sealed for its public key 1):',
      `  curl -fsS -X PUT -H "Authorization: Bearer $WRITER_TOKEN" -H "Accept: application/vnd.github+json" 'https://ghe.example.com/api/v3/repos/o/r/codespaces/secrets/K' -d '{"encrypted_value":"AAAA","key_id":"1"}'`
    ])
  })

  it('quotes every command so that no name can break out of it, whatever it holds', () => {
    const hostile = `prod'; touch /tmp/replay-pwned; echo '$(id)\`id\`"`
    const block = replayBlock('https://api.github.com', 'WS_KEY', [
      {
        destination: {
          type: 'actions',
          kind: 'environment',
          repository: 'o/r',
          environment: hostile
        },
        sealed: { encryptedValue: 'QUJD', keyId: '42' }
      }
    ])
    expect(commands(block)).toEqual([
      {
        auth: '$WRITER_TOKEN',
        url: `https://api.github.com/repos/o/r/environments/${encodeURIComponent(hostile)}/secrets/WS_KEY`,
        body: { encrypted_value: 'QUJD', key_id: '42' }
      }
    ])
  })
})
