import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { runBundled, type ActionRun } from '../../scripts/run-action.js'

/**
 * Runs workflow YAML the way GitHub would for what this project needs: a caller's `with:` and
 * `secrets:` evaluated in its contexts, then the reusable workflow's matrix, strategy,
 * concurrency group, job name, guard step, action `with:` and outputs evaluated with GitHub's own
 * expression engine, each matrix job running the committed bundle as the action step. A called
 * workflow's jobs run on runners of their own that cannot reach emulators on another runner, so
 * this is how the reusable workflow meets the emulators. `plan*` stops before running anything:
 * it shows what GitHub would start, for operations the committed bundle does not know yet.
 */

type Contexts = Record<string, unknown>

const root = new URL('../../', import.meta.url)
export const readYaml = <T>(path: string): T =>
  parse(readFileSync(new URL(path, root), 'utf8')) as T

/** Evaluates one expression (the text inside `${{ }}`) to plain JSON. */
export function evaluate(expression: string, contexts: Contexts): unknown {
  const lexed = new Lexer(expression).lex()
  const parser = new Parser(lexed.tokens, Object.keys(contexts), [])
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary
  const result = new Evaluator(parser.parse(), context).evaluate()
  return JSON.parse(JSON.stringify(result, data.replacer)) as unknown
}

/** A YAML value with `${{ }}` templates: a lone expression keeps its type, others become text. */
export function evaluateTemplate(value: unknown, contexts: Contexts): unknown {
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

/** A job or step `if:`: GitHub accepts it with or without `${{ }}`. */
export function evaluateCondition(condition: string, contexts: Contexts): boolean {
  const bare = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  const value = evaluate(bare, contexts)
  // GitHub's falsy values: false, 0, '', null (and NaN, which JSON turns into null).
  return !(value === false || value === 0 || value === '' || value === null)
}

/** How the runner turns an expression result into an input's text. */
export function asText(value: unknown): string {
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
      name: string
      strategy: { matrix: { key: string }; 'fail-fast'?: unknown; 'max-parallel'?: unknown }
      concurrency: { group: string; 'cancel-in-progress'?: unknown }
      outputs: Record<string, string>
      steps: {
        id?: string
        if?: string
        run?: string
        env?: Record<string, string>
        with?: Record<string, string>
      }[]
    }
  }
}

/** One matrix job of the reusable workflow, as GitHub would start it. */
export interface PlannedJob {
  matrix: unknown
  name: string
  concurrencyGroup: string
  cancelInProgress: boolean
  /** The action step's inputs, as the runner would pass them. */
  inputs: Record<string, string>
}

export interface WorkflowPlan {
  /** `fail-fast` as GitHub reads it: true unless the workflow says otherwise. */
  failFast: boolean
  /** `max-parallel`, undefined when the workflow sets none (GitHub then starts every job). */
  maxParallel: number | undefined
  jobs: PlannedJob[]
}

export interface CalledJob extends PlannedJob {
  /** Absent when GitHub would have cancelled the job (fail-fast after another job failed). */
  run?: ActionRun
}

export interface WorkflowCall {
  failFast: boolean
  maxParallel: number | undefined
  jobs: CalledJob[]
  /** The called workflow's outputs, as the caller would read them. */
  outputs: Record<string, string>
}

const JOB_CONTEXT = {
  workflow_repository: 'keyops-actions/workload-security-api-key-action',
  workflow_sha: '0123456789abcdef0123456789abcdef01234567'
}

/** Runs a `run:` step's script with bash and its env, as a runner would: its outputs. */
function runStep(script: string, env: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-step-'))
  try {
    const output = join(dir, 'output')
    writeFileSync(output, '')
    execFileSync('bash', ['-e', '-c', script], {
      env: { PATH: process.env.PATH, ...env, GITHUB_OUTPUT: output },
      stdio: ['ignore', 'ignore', 'inherit']
    })
    return Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What `.github/workflows/manage-api-key.yml` would start for this call, without running it. */
export function planReusableWorkflow(
  withValues: Record<string, unknown>,
  secrets: Record<string, string>
): WorkflowPlan {
  const workflow = readYaml<ReusableWorkflow>('.github/workflows/manage-api-key.yml')
  const declared = workflow.on.workflow_call.inputs
  const inputs = Object.fromEntries(
    Object.entries(declared).map(([name, input]) => [
      name,
      withValues[name] ?? input.default ?? (input.type === 'string' ? '' : null)
    ])
  )
  const job = workflow.jobs.manage
  const base = { inputs, secrets, job: JOB_CONTEXT }
  const failFast = evaluateTemplate(job.strategy['fail-fast'], base)
  const maxParallel = evaluateTemplate(job.strategy['max-parallel'], base)
  const keys = evaluateTemplate(job.strategy.matrix.key, base) as unknown[]
  const jobs = keys.map((key): PlannedJob => {
    const contexts = { ...base, matrix: { key } }
    const guard = job.steps.find((s) => s.if !== undefined)
    if (guard && evaluateCondition(guard.if!, contexts))
      throw new Error('the guard step would fail the job')
    // The job's `run:` steps with an id run as the runner runs them (bash, with their `env:`),
    // and their outputs reach the later steps.
    const steps: Record<string, { outputs: Record<string, string> }> = {}
    for (const s of job.steps.filter((s) => s.run !== undefined && s.id !== undefined)) {
      const env = Object.fromEntries(
        Object.entries(s.env ?? {}).map(([k, v]) => [k, asText(evaluateTemplate(v, contexts))])
      )
      steps[s.id!] = { outputs: runStep(s.run!, env) }
    }
    const withContexts = { ...contexts, steps }
    const step = job.steps.find((s) => s.id === 'action')!
    return {
      matrix: key,
      name: asText(evaluateTemplate(job.name, contexts)),
      concurrencyGroup: asText(evaluateTemplate(job.concurrency.group, contexts)),
      cancelInProgress: evaluateTemplate(job.concurrency['cancel-in-progress'], contexts) === true,
      inputs: Object.fromEntries(
        Object.entries(step.with ?? {}).map(([name, value]) => [
          name,
          asText(evaluateTemplate(value, withContexts))
        ])
      )
    }
  })
  return {
    failFast: failFast === undefined || failFast === true,
    maxParallel: maxParallel === undefined ? undefined : Number(maxParallel),
    jobs
  }
}

export interface CallOptions {
  /**
   * The order in which the matrix jobs finish, as indexes into the matrix (default: matrix
   * order). GitHub combines a matrix job's outputs in finishing order: a later job's non-empty
   * value replaces an earlier one's.
   */
  finishOrder?: number[]
}

/** Calls `.github/workflows/manage-api-key.yml` with the caller's evaluated `with:` and secrets. */
export async function callReusableWorkflow(
  withValues: Record<string, unknown>,
  secrets: Record<string, string>,
  env: Record<string, string>,
  options: CallOptions = {}
): Promise<WorkflowCall> {
  const plan = planReusableWorkflow(withValues, secrets)
  const workflow = readYaml<ReusableWorkflow>('.github/workflows/manage-api-key.yml')
  const jobs: CalledJob[] = []
  let failed = false
  for (const planned of plan.jobs) {
    if (failed && plan.failFast) {
      jobs.push({ ...planned })
      continue
    }
    const run = await runBundled(planned.inputs, env)
    failed ||= run.failed
    jobs.push({ ...planned, run })
  }
  const order = options.finishOrder ?? jobs.map((_, i) => i)
  const combined: Record<string, string> = {}
  for (const index of order) {
    const run = jobs[index].run
    if (!run) continue
    const own = Object.entries(workflow.jobs.manage.outputs).map(([name, value]) => [
      name,
      asText(evaluateTemplate(value, { steps: { action: { outputs: run.outputs } } }))
    ])
    for (const [name, value] of own) if (value !== '') combined[name] = value
  }
  const outputs = Object.fromEntries(
    Object.entries(workflow.on.workflow_call.outputs).map(([name, output]) => [
      name,
      asText(evaluateTemplate(output.value, { jobs: { manage: { outputs: combined } } }))
    ])
  )
  return { failFast: plan.failFast, maxParallel: plan.maxParallel, jobs, outputs }
}

export interface CallerJob {
  uses?: string
  needs?: string | string[]
  if?: string
  environment?: string | { name: string }
  with?: Record<string, unknown>
  secrets?: Record<string, string>
  steps?: { id?: string; uses?: string; run?: string; with?: Record<string, unknown> }[]
}
interface CallerWorkflow {
  jobs: Record<string, CallerJob>
}

export interface CallerContexts {
  secrets: Record<string, string>
  inputs?: Record<string, unknown>
  github: Record<string, string>
  vars?: Record<string, string>
  /** For a job with `needs:`: each needed job's `result` and `outputs`. */
  needs?: Record<string, { result?: string; outputs: Record<string, string> }>
  steps?: Record<string, { outputs: Record<string, string> }>
}

/** A caller workflow's job (the only one when `jobId` is not given). */
export function callerJob(path: string, jobId?: string): CallerJob {
  const caller = readYaml<CallerWorkflow>(path)
  const job = jobId === undefined ? Object.values(caller.jobs)[0] : caller.jobs[jobId]
  if (!job) throw new Error(`${path} has no job ${jobId}`)
  if (jobId === undefined && Object.keys(caller.jobs).length !== 1)
    throw new Error(`${path} has several jobs: name one`)
  return job
}

/** Evaluates a caller job's `with:` and `secrets:` for the reusable workflow. */
function callArguments(
  path: string,
  contexts: CallerContexts,
  jobId?: string
): { withValues: Record<string, unknown>; secrets: Record<string, string> } {
  const job = callerJob(path, jobId)
  if (!job.uses?.endsWith('/.github/workflows/manage-api-key.yml@v1'))
    throw new Error(`${path} does not call the reusable workflow`)
  const full = { inputs: {}, vars: {}, ...contexts }
  return {
    withValues: Object.fromEntries(
      Object.entries(job.with ?? {}).map(([k, v]) => [k, evaluateTemplate(v, full)])
    ),
    secrets: Object.fromEntries(
      Object.entries(job.secrets ?? {}).map(([k, v]) => [k, asText(evaluateTemplate(v, full))])
    )
  }
}

/** Whether GitHub would run a caller job: its `if:` (default `success()`, here: true). */
export function callerJobRuns(path: string, jobId: string, contexts: CallerContexts): boolean {
  const job = callerJob(path, jobId)
  const needs = typeof job.needs === 'string' ? [job.needs] : (job.needs ?? [])
  // Without a status function in `if:`, GitHub adds success(): every needed job succeeded.
  const succeeded = needs.every((n) => contexts.needs?.[n]?.result === 'success')
  if (!succeeded) return false
  return job.if === undefined
    ? true
    : evaluateCondition(job.if, { inputs: {}, vars: {}, ...contexts })
}

/** What a caller job (one of docs/examples/) would start in the reusable workflow. */
export function planCallerWorkflow(
  path: string,
  contexts: CallerContexts,
  overrides: Record<string, unknown> = {},
  jobId?: string
): WorkflowPlan {
  const { withValues, secrets } = callArguments(path, contexts, jobId)
  return planReusableWorkflow({ ...withValues, ...overrides }, secrets)
}

/**
 * Runs a caller workflow file (one of docs/examples/) whose job calls the reusable workflow,
 * with the caller's secrets, workflow_dispatch inputs, github context and needed jobs.
 */
export async function runCallerWorkflow(
  path: string,
  contexts: CallerContexts,
  overrides: Record<string, unknown>,
  env: Record<string, string>,
  options: CallOptions & { job?: string } = {}
): Promise<WorkflowCall> {
  const { withValues, secrets } = callArguments(path, contexts, options.job)
  return callReusableWorkflow({ ...withValues, ...overrides }, secrets, env, options)
}

/** A step's `with:` in a caller job that uses the action directly, evaluated. */
export function evaluateStepInputs(
  path: string,
  jobId: string,
  stepId: string,
  contexts: CallerContexts
): Record<string, string> {
  const step = callerJob(path, jobId).steps?.find((s) => s.id === stepId)
  if (!step) throw new Error(`${path} job ${jobId} has no step ${stepId}`)
  const full = { inputs: {}, vars: {}, ...contexts }
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([k, v]) => [k, asText(evaluateTemplate(v, full))])
  )
}
