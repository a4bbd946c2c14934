import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow
} from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'

const root = new URL('../', import.meta.url)
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
    }
    expect(call.secrets['api-secret-key'].required).toBe(true)
  })

  it('passes every action input to the action step', () => {
    expect(step.uses).toBe('./.workload-security-api-key-action')
    expect(Object.keys(step.with ?? {}).sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('passes the GitHub token to rotation only, so that lock and delete accept the same call', () => {
    expect(step.with?.['github-token']).toBe(
      "${{ inputs.operation == 'rotate' && secrets.github-token || '' }}"
    )
  })

  it('maps every action output', () => {
    expect(Object.keys(call.outputs).sort()).toEqual(Object.keys(action.outputs).sort())
    const job = reusable.jobs.manage
    for (const name of Object.keys(action.outputs)) {
      expect(call.outputs[name].value).toBe(`\${{ jobs.manage.outputs.${name} }}`)
      expect(job.outputs[name]).toBe(`\${{ steps.action.outputs.${name} }}`)
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

describe('the README', () => {
  const readme = read('README.md')
  /** The first-column names of the table under a `## heading`. */
  const tableNames = (heading: string): string[] => {
    const section = readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`)) ?? ''
    return [...section.matchAll(/^\| `([a-z-]+)`\s+\|/gm)].map((m) => m[1])
  }
  it('documents every input in the inputs table, and nothing else', () => {
    expect(tableNames('Inputs').sort()).toEqual(Object.keys(action.inputs).sort())
  })
  it.each(EXAMPLES)('shows %s exactly as the file has it', (name) => {
    expect(readme).toContain(`\`\`\`yaml\n${read(name).trimEnd()}\n\`\`\``)
  })
  it('documents every output in the outputs table, and nothing else', () => {
    expect(tableNames('Outputs').sort()).toEqual(Object.keys(action.outputs).sort())
  })
})

describe('workflow hygiene', () => {
  it.each([...WORKFLOWS, ...EXAMPLES])(
    '%s pins third-party actions by full SHA with a version comment',
    (name) => {
      for (const line of read(name).split('\n')) {
        const match = /^\s*-?\s*uses:\s*([^\s#]+)(.*)$/.exec(line)
        if (!match || match[1].startsWith('./') || /\/\.github\/workflows\//.test(match[1]))
          continue
        expect(line).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/)
      }
    }
  )

  it.each(WORKFLOWS)('%s reads only contents at the top level', (name) => {
    const permissions = (parse(read(name)) as { permissions?: unknown }).permissions
    expect([{ contents: 'read' }, {}]).toContainEqual(permissions)
  })

  it.each([...WORKFLOWS, ...EXAMPLES])('%s passes values to run steps through env only', (name) => {
    const workflow = parse(read(name)) as { jobs: Record<string, { steps?: { run?: string }[] }> }
    for (const job of Object.values(workflow.jobs)) {
      for (const s of job.steps ?? []) expect(s.run ?? '').not.toContain('${{')
    }
  })

  it('keeps a CHANGELOG section for the version in package.json', () => {
    const { version } = JSON.parse(read('package.json')) as { version: string }
    expect(read('CHANGELOG.md')).toContain(`## [${version}]`)
  })
})
