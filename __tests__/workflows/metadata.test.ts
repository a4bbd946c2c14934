import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow
} from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { generated, identity, inputsDoc, withIdentity } from '../../scripts/readme-tables.js'
import { evaluateTemplate } from '../support/workflow.js'

const root = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')
const yamlFiles = (dir: string): string[] =>
  readdirSync(new URL(dir, root))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`)

const WORKFLOWS = yamlFiles('.github/workflows')
const EXAMPLES = yamlFiles('docs/examples')
const REUSABLE = '.github/workflows/manage-api-key.yml'
/** Action inputs that the reusable workflow takes as secrets. */
const SECRET_INPUTS = ['api-secret-key', 'github-token']

interface ActionMetadata {
  inputs: Record<string, { default?: string; description: string }>
  outputs: Record<string, { description: string }>
}
interface WorkflowInput {
  type: string
  default?: string | number | boolean
  description?: string
  required?: boolean
}
interface ReusableWorkflow {
  on: {
    workflow_call: {
      inputs: Record<string, WorkflowInput>
      secrets: Record<string, { required?: boolean }>
      outputs: Record<string, { value: string }>
    }
  }
  jobs: Record<
    string,
    {
      outputs: Record<string, string>
      steps: { id?: string; uses?: string; with?: Record<string, string> }[]
    }
  >
}

const action = parse(read('action.yml')) as ActionMetadata
const reusable = parse(read(REUSABLE)) as ReusableWorkflow

async function workflowErrors(name: string): Promise<string[]> {
  const result = parseWorkflow({ name, content: read(name) }, new NoOperationTraceWriter())
  const errors = result.context.errors.getErrors().map((e) => e.message)
  if (result.value) {
    const template = await convertWorkflowTemplate(result.context, result.value)
    errors.push(...(template.errors ?? []).map((e) => e.Message))
  }
  return [...new Set(errors)]
}

describe("GitHub's parser", () => {
  it('accepts action.yml', () => {
    const result = parseAction(
      { name: 'action.yml', content: read('action.yml') },
      new NoOperationTraceWriter()
    )
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([])
  })

  it.each([...WORKFLOWS, ...EXAMPLES])('accepts %s', async (name) => {
    expect(await workflowErrors(name)).toEqual([])
  })

  it('rejects a broken workflow (the check is not vacuous)', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permisions: {}\n    steps:\n      - run: echo ${{ bogus.x }}\n'
    const result = parseWorkflow(
      { name: 'broken.yml', content: broken },
      new NoOperationTraceWriter()
    )
    expect(
      result.context.errors
        .getErrors()
        .map((e) => e.message)
        .join('\n')
    ).toMatch(/permisions[\s\S]*bogus/)
  })
})

describe('the reusable workflow', () => {
  const call = reusable.on.workflow_call
  const step = Object.values(reusable.jobs)
    .flatMap((job) => job.steps)
    .find((s) => s.id === 'action')!

  it('takes every action input, with the same default, and the secret ones as secrets', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      if (SECRET_INPUTS.includes(name)) {
        expect([name, call.secrets[name]]).toEqual([name, expect.anything()])
        continue
      }
      expect(Object.keys(call.inputs)).toContain(name)
      const workflowDefault = call.inputs[name].default
      expect([name, workflowDefault === undefined ? '' : String(workflowDefault)]).toEqual([
        name,
        input.default ?? ''
      ])
      expect(call.inputs[name].description?.length ?? 0).toBeGreaterThan(10)
      // A switch is a boolean and a count a number in the form GitHub shows callers; the
      // runner turns either back into the text the action's default has.
      const type = /^(true|false)$/.test(input.default ?? '')
        ? 'boolean'
        : /^\d+$/.test(input.default ?? '')
          ? 'number'
          : 'string'
      expect([name, call.inputs[name].type]).toEqual([name, type])
    }
    expect(call.secrets['api-secret-key'].required).toBe(true)
  })

  it('covers the inputs of every operation the SPEC names (the loop above is not vacuous)', () => {
    for (const name of [
      'description',
      'strategy',
      'expiry-days',
      'secret-type',
      'warn-days',
      'stale-days',
      'flag',
      'fail-if-flagged'
    ])
      expect([name, call.inputs[name]?.default]).toEqual([name, expect.anything()])
  })

  it('passes every action input to the action step', () => {
    expect(step.uses).toBe('./.workload-security-api-key-action')
    expect(Object.keys(step.with ?? {}).sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('passes the GitHub token to rotate and create only, so that lock and delete accept the same call', () => {
    const token = (operation: string): unknown =>
      evaluateTemplate(step.with?.['github-token'], {
        inputs: { operation },
        secrets: { 'github-token': 'ghs_token' }
      })
    for (const operation of ['rotate', 'create', 'ROTATE'])
      expect([operation, token(operation)]).toEqual([operation, 'ghs_token'])
    for (const operation of ['lock', 'unlock', 'delete', 'describe', 'set-role', 'audit'])
      expect([operation, token(operation)]).toEqual([operation, ''])
  })

  it('maps every action output', () => {
    expect(Object.keys(call.outputs).sort()).toEqual(Object.keys(action.outputs).sort())
    const job = reusable.jobs.manage
    for (const name of Object.keys(action.outputs)) {
      expect(call.outputs[name].value).toBe(`\${{ jobs.manage.outputs.${name} }}`)
      // The one exception: findings-file is a path on the job's runner, so the caller gets the
      // uploaded artifact instead.
      expect(job.outputs[name]).toBe(
        name === 'findings-file'
          ? '${{ steps.findings.outputs.artifact-url }}'
          : `\${{ steps.action.outputs.${name} }}`
      )
    }
  })

  it('runs the action of its own repository at its own commit, never cancelled half way', () => {
    const text = read(REUSABLE)
    expect(text).toContain('repository: ${{ job.workflow_repository }}')
    expect(text).toContain('ref: ${{ job.workflow_sha }}')
    expect(text).toContain("if: job.workflow_sha == '' || job.workflow_repository == ''")
    expect(text).toMatch(/group: workload-security-api-key-\$\{\{/)
    expect(text).toContain('cancel-in-progress: false')
  })
})

describe('the README and the generated docs', () => {
  const readme = read('README.md')
  const inputs = read('docs/inputs.md')
  /** The first-column names of the tables under a `## heading` of `text`. */
  const tableNames = (text: string, heading: string): string[] => {
    const section = text.split(/^## /m).find((s) => s.startsWith(`${heading}\n`)) ?? ''
    return [...section.matchAll(/^\| `([a-z-]+)`\s+\|/gm)].map((m) => m[1])
  }
  it('docs/inputs.md documents every input once, grouped by operation, and nothing else', () => {
    const names = tableNames(inputs, 'Inputs')
    expect(names.sort()).toEqual(Object.keys(action.inputs).sort())
    expect(inputs).toMatch(/^### rotate and create/m)
    expect(inputs).toMatch(/^### audit/m)
  })
  it('docs/inputs.md documents every output once, and nothing else', () => {
    expect(tableNames(inputs, 'Outputs').sort()).toEqual(Object.keys(action.outputs).sort())
  })
  it('the README links docs/inputs.md', () => {
    expect(readme).toContain('](docs/inputs.md)')
  })
  it.each(Object.keys(generated()))(
    '%s is what npm run readme generates (from action.yml, the reusable workflow, package.json)',
    (path) => {
      expect(read(path)).toBe(generated()[path])
    }
  )
  it('the generated parts follow their sources (the drift check is not vacuous)', () => {
    // An input added to action.yml must be given a group.
    expect(inputsDoc()).toContain('`fail-if-flagged`')
    // Another owner in package.json becomes every uses: line and link.
    const other = withIdentity(readme, {
      ...identity(),
      slug: 'other/workload-security-api-key-action'
    })
    expect(other).not.toBe(readme)
    expect(other).not.toContain(identity().slug)
    // The reusable workflow's concurrency group, as the file has it.
    expect(read('docs/reusable-workflow.md')).toContain(
      `group: ${Object.values(reusable.jobs as Record<string, { concurrency?: { group: string } }>).find((j) => j.concurrency)?.concurrency?.group}`
    )
  })
  it('names the action by the repository in package.json, and never OWNER', () => {
    const { slug, url } = identity()
    expect(url).toBe(`https://github.com/${slug}`)
    expect(readme).toContain(`uses: ${slug}@v1`)
    expect(readme).toContain(`git ls-remote ${url} refs/tags/v`)
    for (const path of Object.keys(generated()))
      expect([path, read(path)]).not.toEqual([path, expect.stringContaining('OWNER/')])
  })
  it('says which reusable workflow inputs differ from the action (and nothing else differs)', () => {
    const section = inputsDoc().split('## The reusable workflow')[1]
    expect([...section.matchAll(/^\| `([a-z-]+)` \| (string|number)/gm)].map((m) => m[1])).toEqual([
      'keys',
      'max-parallel',
      'runs-on'
    ])
  })
  it('links the examples folder and the files of its scenarios', () => {
    for (const link of [
      'docs/examples',
      'docs/examples/incident-response.yml',
      'docs/examples/weekly-audit.yml',
      'docs/examples/rotate-vision-one-monthly.yml',
      'docs/examples/rotate-cloud-one-monthly.yml'
    ])
      expect(readme).toContain(`](${link})`)
  })
  it.each([
    'README.md',
    ...readdirSync(new URL('docs/', root))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`)
  ])('%s links only to files that exist', (name) => {
    const links = [...read(name).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1])
      .filter((link) => !/^[a-z]+:/.test(link))
    const missing = links.filter((link) => !existsSync(new URL(link, new URL(name, root))))
    expect(missing).toEqual([])
  })
})

/**
 * Every `uses:` of a workflow: of jobs (reusable workflows) and of steps (actions), with the
 * text of its line (for the version comment the YAML parser drops).
 */
interface UsesRef {
  ref: string
  line: string
}
interface HygieneWorkflow {
  jobs: Record<string, { uses?: string; steps?: { uses?: string; run?: string }[] }>
}
function usesRefs(name: string): UsesRef[] {
  const text = read(name)
  const lines = text.split('\n')
  const workflow = parse(text) as HygieneWorkflow
  const refs = Object.values(workflow.jobs).flatMap((job) => [
    ...(job.uses === undefined ? [] : [job.uses]),
    ...(job.steps ?? []).flatMap((s) => (s.uses === undefined ? [] : [s.uses]))
  ])
  return refs.map((ref) => ({
    ref,
    line:
      lines.find((l) =>
        new RegExp(
          `^\\s*(-\\s+)?uses:\\s*${ref.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(\\s|$)`
        ).test(l)
      ) ?? ''
  }))
}
function runSteps(name: string): string[] {
  const workflow = parse(read(name)) as HygieneWorkflow
  return Object.values(workflow.jobs).flatMap((job) =>
    (job.steps ?? []).flatMap((s) => (s.run === undefined ? [] : [s.run]))
  )
}
/** How many `uses:` / `run:` keys the text has, however deep: the walks above must find all. */
const textCount = (name: string, key: string): number =>
  read(name)
    .split('\n')
    .filter((l) => new RegExp(`^\\s*(-\\s+)?${key}:`).test(l)).length

/**
 * The pinning rule. Third-party actions and reusable workflows: a full commit SHA with a
 * `# vX.Y.Z` comment. This repository's own workflows: `./` (it runs the code under test).
 * The examples in docs/examples/ call this project as users do, by its major tag
 * (`<owner>/workload-security-api-key-action@v1`, or its reusable workflow at `@v1`, the owner
 * package.json's repository): `@v1` follows compatible releases, as the README's "Versions"
 * advises (a user may pin a SHA instead).
 */
function pinningProblem(name: string, { ref, line }: UsesRef): string | undefined {
  if (ref.startsWith('./'))
    return name.startsWith('.github/') ? undefined : `${ref}: an example cannot use a local path`
  if (new RegExp(`^${identity().slug}(/\\.github/workflows/manage-api-key\\.yml)?@v1$`).test(ref))
    return name.startsWith('docs/examples/') ? undefined : `${ref}: use ./ inside this repository`
  if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref)) return `${ref}: not pinned by full commit SHA`
  if (!/ # v\d+(\.\d+){0,2}$/.test(line)) return `${ref}: no "# vX.Y.Z" comment`
  return undefined
}

describe('workflow hygiene', () => {
  it.each([...WORKFLOWS, ...EXAMPLES])(
    '%s pins every job and step uses: by the pinning rule',
    (name) => {
      const refs = usesRefs(name)
      // Every workflow here runs an action or calls a workflow; the walk finds every uses: key.
      expect(refs.length).toBeGreaterThan(0)
      expect(refs.length).toBe(textCount(name, 'uses'))
      expect(refs.map((r) => pinningProblem(name, r)).filter(Boolean)).toEqual([])
    }
  )

  it('the pinning rule rejects what it must (it is not vacuous)', () => {
    const at = (ref: string, comment = ''): UsesRef => ({ ref, line: `uses: ${ref}${comment}` })
    const sha = '11bd71901bbe5b1630ceea73d27597364c9af683'
    const example = 'docs/examples/x.yml'
    const workflow = '.github/workflows/x.yml'
    expect(pinningProblem(example, at(`actions/checkout@${sha}`, ' # v4.2.2'))).toBeUndefined()
    expect(pinningProblem(example, at('actions/checkout@v4'))).toMatch(/SHA/)
    expect(pinningProblem(example, at(`actions/checkout@${sha}`))).toMatch(/comment/)
    expect(pinningProblem(example, at('other/x/.github/workflows/y.yml@main'))).toMatch(/SHA/)
    expect(pinningProblem(example, at('./.github/workflows/manage-api-key.yml'))).toMatch(/local/)
    expect(pinningProblem(workflow, at(`${identity().slug}@v1`))).toMatch(/\.\//)
    expect(pinningProblem(example, at(`${identity().slug}@main`))).toMatch(/SHA/)
  })

  it.each([...WORKFLOWS, ...EXAMPLES])('%s reads only contents at the top level', (name) => {
    const permissions = (parse(read(name)) as { permissions?: unknown }).permissions
    expect([{ contents: 'read' }, {}]).toContainEqual(permissions)
  })

  it.each([...WORKFLOWS, ...EXAMPLES])('%s passes values to run steps through env only', (name) => {
    const runs = runSteps(name)
    expect(runs.length).toBe(textCount(name, 'run'))
    for (const run of runs) expect(run).not.toContain('${{')
  })

  it('finds run steps where there are some (the env check is not vacuous)', () => {
    const withRuns = [...WORKFLOWS, ...EXAMPLES].filter((name) => runSteps(name).length > 0)
    expect(withRuns).toEqual(
      expect.arrayContaining([...WORKFLOWS, 'docs/examples/weekly-audit.yml'])
    )
  })

  it.each(EXAMPLES)(
    '%s: every job that runs the action directly queues per key, never cancelled',
    (name) => {
      const workflow = parse(read(name)) as {
        jobs: Record<
          string,
          {
            steps?: { uses?: string }[]
            concurrency?: { group: string; 'cancel-in-progress': boolean }
          }
        >
      }
      for (const job of Object.values(workflow.jobs)) {
        if (!job.steps?.some((s) => s.uses?.startsWith(`${identity().slug}@`))) continue
        expect(job.concurrency?.group).toMatch(/^workload-security-api-key-./)
        expect(job.concurrency?.['cancel-in-progress']).toBe(false)
      }
    }
  )

  it('keeps a CHANGELOG section for the version in package.json', () => {
    const { version } = JSON.parse(read('package.json')) as { version: string }
    expect(read('CHANGELOG.md')).toContain(`## [${version}]`)
  })
})
