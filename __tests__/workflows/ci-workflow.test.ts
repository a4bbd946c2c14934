import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

// .github/workflows/ci.yml runs .ci/run, the one script that holds the whole check, so that CI
// on GitHub and `CI=true bash .ci/run` never drift apart; beside it, a job runs the action
// itself (`uses: ./`) against the emulators.

const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

interface Step {
  uses?: string
  run?: string
  env?: Record<string, unknown>
}
interface Workflow {
  jobs: Record<string, { steps?: Step[] }>
}

/** Why a workflow's jobs do not run .ci/run as the whole check, or undefined when one does. */
function ciScriptProblem(workflow: Workflow): string | undefined {
  const runsScript = (step: Step): boolean => {
    const run = step.run?.trim() ?? ''
    return (
      run === 'CI=true bash .ci/run' || (run === 'bash .ci/run' && String(step.env?.CI) === 'true')
    )
  }
  const job = Object.values(workflow.jobs).find((j) => j.steps?.some(runsScript))
  if (!job) return 'no job runs `bash .ci/run` with CI=true'
  const steps = job.steps ?? []
  const at = steps.findIndex(runsScript)
  const before = steps.slice(0, at)
  if (!before.some((s) => s.uses?.startsWith('actions/checkout@')))
    return 'the job does not check out the repository before .ci/run'
  if (!before.some((s) => s.uses?.startsWith('actions/setup-node@')))
    return 'the job does not set up Node before .ci/run'
  const others = steps.filter((s) => s.run !== undefined && !runsScript(s))
  if (others.length > 0)
    return `the job runs more than .ci/run (move it into .ci/run): ${others.map((s) => s.run?.trim()).join('; ')}`
  return undefined
}

const ci = parse(read('.github/workflows/ci.yml')) as Workflow

describe('ci.yml', () => {
  it('runs .ci/run, and nothing beside it in that job, after checkout and setup-node', () => {
    expect(ciScriptProblem(ci)).toBeUndefined()
  })

  it('fails the check when the job stops running .ci/run or runs something of its own (not vacuous)', () => {
    const withRun = (run: string, env?: Record<string, unknown>): Workflow => ({
      jobs: {
        test: {
          steps: [
            { uses: 'actions/checkout@x' },
            { uses: 'actions/setup-node@x' },
            { run, ...(env && { env }) }
          ]
        }
      }
    })
    expect(ciScriptProblem(withRun('CI=true bash .ci/run'))).toBeUndefined()
    expect(ciScriptProblem(withRun('bash .ci/run', { CI: 'true' }))).toBeUndefined()
    expect(ciScriptProblem(withRun('npm test'))).toMatch(/no job runs/)
    expect(ciScriptProblem(withRun('bash .ci/run'))).toMatch(/no job runs/)
    const extra = withRun('bash .ci/run', { CI: true })
    extra.jobs.test.steps!.push({ run: 'npm run lint' })
    expect(ciScriptProblem(extra)).toMatch(/more than \.ci\/run.*npm run lint/)
    const unchecked = withRun('CI=true bash .ci/run')
    unchecked.jobs.test.steps!.shift()
    expect(ciScriptProblem(unchecked)).toMatch(/check out/)
  })

  it('.ci/run is the whole check: format, lint, typecheck, the tests, and dist/', () => {
    const script = read('.ci/run')
    for (const command of [
      'npm ci',
      'npm run format:check',
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run test:faults',
      'npm run test:load',
      'npm run bundle'
    ])
      expect(script).toContain(command)
  })

  it('keeps a job that runs the action itself (uses: ./) against the emulators', () => {
    const job = Object.values(ci.jobs).find((j) => j.steps?.some((s) => s.uses === './'))
    expect(job).toBeDefined()
    const steps = job?.steps ?? []
    const start = steps.findIndex((s) => s.run?.includes('npm run emulators'))
    expect(start).toBeGreaterThanOrEqual(0)
    expect(steps.findIndex((s) => s.uses === './')).toBeGreaterThan(start)
  })
})
