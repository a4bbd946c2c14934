/*
 * The README's reference tables, generated from the metadata they describe: the action's inputs
 * and outputs (action.yml) and the reusable workflow's inputs and secrets
 * (.github/workflows/manage-api-key.yml), each between `<!-- NAME:start -->` and
 * `<!-- NAME:end -->`. `npm run readme` rewrites them; a test fails when the README and the
 * metadata drift apart. The tables stay compact (README.md is not reformatted by prettier: its
 * aligned tables would be three times the size).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

interface Field {
  description?: string
  required?: boolean
  default?: string | number | boolean
  type?: string
}

const root = new URL('../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replaceAll('|', '\\|')
}

function defaultOf(field: Field): string {
  if (field.required) return 'required'
  if (field.default === undefined || field.default === '') return ''
  return `\`${String(field.default)}\``
}

function inputsTable(fields: Record<string, Field>, typed = false): string {
  const rows = Object.entries(fields).map(
    ([name, f]) =>
      `| \`${name}\` | ${typed ? `${f.type ?? ''} | ` : ''}${defaultOf(f)} | ${cell(f.description ?? '')} |`
  )
  const head = typed
    ? ['| input | type | default | description |', '| --- | --- | --- | --- |']
    : ['| input | default | description |', '| --- | --- | --- |']
  return [...head, ...rows].join('\n')
}

function outputsTable(fields: Record<string, Field>): string {
  const rows = Object.entries(fields).map(
    ([name, f]) => `| \`${name}\` | ${cell(f.description ?? '')} |`
  )
  return ['| output | description |', '| --- | --- |', ...rows].join('\n')
}

function secretsTable(fields: Record<string, Field>): string {
  const rows = Object.entries(fields).map(
    ([name, f]) =>
      `| \`${name}\` | ${f.required ? 'required' : ''} | ${cell(f.description ?? '')} |`
  )
  return ['| secret | required | description |', '| --- | --- | --- |', ...rows].join('\n')
}

/**
 * The reusable workflow's inputs that the action does not have. Every other input must be the
 * action's, with the same default (the README says so): a difference is an error.
 */
function ownInputs(
  workflow: Record<string, Field>,
  action: Record<string, Field>
): Record<string, Field> {
  const differ = Object.keys(workflow).filter(
    (name) =>
      name in action && String(workflow[name].default ?? '') !== String(action[name].default ?? '')
  )
  if (differ.length > 0)
    throw new Error(
      `The reusable workflow's default differs from the action's: ${differ.join(', ')}`
    )
  return Object.fromEntries(Object.entries(workflow).filter(([name]) => !(name in action)))
}

/** Every generated table, by marker name. */
export function tables(): Record<string, string> {
  const action = parse(read('action.yml')) as {
    inputs: Record<string, Field>
    outputs: Record<string, Field>
  }
  const workflow = parse(read('.github/workflows/manage-api-key.yml')) as {
    on: { workflow_call: { inputs: Record<string, Field>; secrets: Record<string, Field> } }
  }
  const call = workflow.on.workflow_call
  return {
    inputs: inputsTable(action.inputs),
    outputs: outputsTable(action.outputs),
    'workflow-inputs': inputsTable(ownInputs(call.inputs, action.inputs), true),
    'workflow-secrets': secretsTable(call.secrets)
  }
}

/** `readme` with every marked table replaced by its generated text. */
export function withTables(readme: string, generated = tables()): string {
  let text = readme
  for (const [name, table] of Object.entries(generated)) {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`)
    text = `${text.slice(0, from + start.length)}\n\n${table}\n\n${text.slice(to)}`
  }
  return text
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('README.md', root)
  writeFileSync(path, withTables(readFileSync(path, 'utf8')))
  console.log('README.md tables written from action.yml and the reusable workflow')
}
