import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { runBundled, type ActionRun } from '../../scripts/run-action.js'

/**
 * Runs workflow YAML the way GitHub would for what this project needs: a caller's `with:` and
 * `secrets:` evaluated in its contexts, then the reusable workflow's matrix, concurrency group,
 * guard step, action `with:` and outputs evaluated with GitHub's own expression engine, each
 * matrix job running the committed bundle as the action step. A called workflow's jobs run on
 * runners of their own that cannot reach emulators on another runner, so this is how the
 * reusable workflow meets the emulators.
 */

type Contexts = Record<string, unknown>

const root = new URL('../../', import.meta.url)
const readYaml = <T>(path: string): T => parse(readFileSync(new URL(path, root), 'utf8')) as T

/** Evaluates one expression (the text inside `${{ }}`) to plain JSON. */
function evaluate(expression: string, contexts: Contexts): unknown {
  const lexed = new Lexer(expression).lex()
  const parser = new Parser(lexed.tokens, Object.keys(contexts), [])
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary
  const result = new Evaluator(parser.parse(), context).evaluate()
  return JSON.parse(JSON.stringify(result, data.replacer)) as unknown
}

/** A YAML value with `${{ }}` templates: a lone expression keeps its type, others become text. */
function evaluateTemplate(value: unknown, contexts: Contexts): unknown {
  if (typeof value !== 'string') return value
  const parts: (string | unknown)[] = []
  let rest = value
  for (;;) {
    const start = rest.indexOf('${{')
    if (start < 0) break
    let i = start + 3
    let inString = false
    // Find the closing }} outside string literals ('' escapes a quote inside one).
    while (i < rest.length && (inString || !rest.startsWith('}}', i))) {
      if (rest[i] === "'") inString = !inString
      i++
    }
    parts.push(rest.slice(0, start), evaluate(rest.slice(start + 3, i), contexts))
    rest = rest.slice(i + 2)
  }
  parts.push(rest)
  const meaningful = parts.filter((p) => p !== '')
  if (meaningful.length === 1 && typeof meaningful[0] !== 'string') return meaningful[0]
  return parts.map((p) => (typeof p === 'string' ? p : asText(p))).join('')
}

/** How the runner turns an expression result into an input's text. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

interface WorkflowInput {
  type: 'string' | 'boolean' | 'number'
  default?: string | number | boolean
}
interface ReusableWorkflow {
  on: {
    workflow_call: {
      inputs: Record<string, WorkflowInput>
      outputs: Record<string, { value: string }>
    }
  }
  jobs: {
    manage: {
      strategy: { matrix: { key: string } }
      concurrency: { group: string }
      outputs: Record<string, string>
      steps: { id?: string; if?: string; with?: Record<string, string> }[]
    }
  }
}

export interface CalledJob {
  matrix: unknown
  concurrencyGroup: string
  inputs: Record<string, string>
  run: ActionRun
}

export interface WorkflowCall {
  jobs: CalledJob[]
  /** The called workflow's outputs, as the caller would read them. */
  outputs: Record<string, string>
}

/** Calls `.github/workflows/manage-api-key.yml` with the caller's evaluated `with:` and secrets. */
export async function callReusableWorkflow(
  withValues: Record<string, unknown>,
  secrets: Record<string, string>,
  env: Record<string, string>
): Promise<WorkflowCall> {
  const workflow = readYaml<ReusableWorkflow>('.github/workflows/manage-api-key.yml')
  const declared = workflow.on.workflow_call.inputs
  const inputs = Object.fromEntries(
    Object.entries(declared).map(([name, input]) => [
      name,
      withValues[name] ?? input.default ?? (input.type === 'string' ? '' : null)
    ])
  )
  const job = workflow.jobs.manage
  const base = {
    inputs,
    secrets,
    job: {
      workflow_repository: 'OWNER/workload-security-api-key-action',
      workflow_sha: '0123456789abcdef0123456789abcdef01234567'
    }
  }
  const keys = evaluateTemplate(job.strategy.matrix.key, base) as unknown[]
  const jobs: CalledJob[] = []
  for (const key of keys) {
    const contexts = { ...base, matrix: { key } }
    const guard = job.steps.find((s) => s.if !== undefined)
    if (guard && evaluate(guard.if!, contexts) === true)
      throw new Error('the guard step would fail the job')
    const step = job.steps.find((s) => s.id === 'action')!
    const actionInputs = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([name, value]) => [
        name,
        asText(evaluateTemplate(value, contexts))
      ])
    )
    jobs.push({
      matrix: key,
      concurrencyGroup: asText(evaluateTemplate(job.concurrency.group, contexts)),
      inputs: actionInputs,
      run: await runBundled(actionInputs, env)
    })
  }
  const last = jobs[jobs.length - 1]
  const jobOutputs = Object.fromEntries(
    Object.entries(job.outputs).map(([name, value]) => [
      name,
      asText(evaluateTemplate(value, { steps: { action: { outputs: last.run.outputs } } }))
    ])
  )
  const outputs = Object.fromEntries(
    Object.entries(workflow.on.workflow_call.outputs).map(([name, output]) => [
      name,
      asText(evaluateTemplate(output.value, { jobs: { manage: { outputs: jobOutputs } } }))
    ])
  )
  return { jobs, outputs }
}

interface CallerWorkflow {
  jobs: Record<
    string,
    { uses: string; with?: Record<string, unknown>; secrets?: Record<string, string> }
  >
}

/**
 * Runs a caller workflow file (one of docs/examples/) whose single job calls the reusable
 * workflow, with the caller's secrets, workflow_dispatch inputs and github context.
 */
export async function runCallerWorkflow(
  path: string,
  contexts: {
    secrets: Record<string, string>
    inputs?: Record<string, unknown>
    github: Record<string, string>
  },
  overrides: Record<string, unknown>,
  env: Record<string, string>
): Promise<WorkflowCall> {
  const caller = readYaml<CallerWorkflow>(path)
  const [job] = Object.values(caller.jobs)
  if (!job.uses.endsWith('/.github/workflows/manage-api-key.yml@v1'))
    throw new Error(`${path} does not call the reusable workflow`)
  const full = { inputs: {}, ...contexts }
  const withValues = Object.fromEntries(
    Object.entries(job.with ?? {}).map(([k, v]) => [k, evaluateTemplate(v, full)])
  )
  const secrets = Object.fromEntries(
    Object.entries(job.secrets ?? {}).map(([k, v]) => [k, asText(evaluateTemplate(v, full))])
  )
  return callReusableWorkflow({ ...withValues, ...overrides }, secrets, env)
}
