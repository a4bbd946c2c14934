/*
 * The generated parts of the documentation, from the metadata they describe:
 * - docs/inputs.md, whole: the action's inputs and outputs (action.yml) grouped by operation,
 *   and the reusable workflow's own inputs and secrets (.github/workflows/manage-api-key.yml);
 * - docs/reusable-workflow.md, between `<!-- concurrency:start -->` and `<!-- concurrency:end -->`:
 *   the workflow's concurrency group, as the file has it;
 * - the action's identity (`owner/name` in `uses:` lines and github.com links) in the README,
 *   the user docs and the examples, from package.json's `repository` (the one place naming it).
 * `npm run readme` rewrites them; a test fails when they drift apart. The tables stay compact
 * (the generated files are not reformatted by prettier: aligned tables would triple them).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

interface Field {
  description?: string
  required?: boolean
  default?: string | number | boolean
  type?: string
}

const root = new URL('../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')

/** The action's repository, from package.json: `owner/name` and its https URL. */
export function identity(): { slug: string; url: string; name: string } {
  const pkg = JSON.parse(read('package.json')) as { name: string; repository: { url: string } }
  const url = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')
  const slug = /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+)$/.exec(url)?.[1]
  if (!slug) throw new Error(`package.json's repository.url is not a GitHub repository: ${url}`)
  return { slug, url, name: pkg.name }
}

/** The inputs of each group, in the order docs/inputs.md shows them; every input in one group. */
export const INPUT_GROUPS: [string, string, string[]][] = [
  [
    'Every operation',
    'What to do, on which platform, with which key; how requests are sent.',
    [
      'operation',
      'platform',
      'api-secret-key',
      'api-url',
      'region',
      'auth-scheme',
      'api-version',
      'ca-certificate',
      'dry-run',
      'max-attempts',
      'timeout-seconds'
    ]
  ],
  [
    'Which key',
    "Every operation but `audit` names one key (`create`: the new key's name).",
    ['key-id', 'key-name', 'allow-self']
  ],
  [
    'rotate and create: the new secret and where it goes',
    '`secret-name` and `github-token` are required.',
    [
      'strategy',
      'expiry-days',
      'expiry-months',
      'verify',
      'secret-name',
      'secret-type',
      'repositories',
      'environment',
      'organization',
      'visibility',
      'github-token',
      'writes-per-minute',
      'writes-per-hour'
    ]
  ],
  [
    'create and set-role: the role',
    '`set-role` and `create` need one of `role-id` / `role-name`.',
    ['role-id', 'role-name', 'description']
  ],
  [
    'audit',
    'Which keys are flagged, and whether that fails the run.',
    ['warn-days', 'stale-days', 'flag', 'fail-if-flagged']
  ]
]

export const OUTPUT_GROUPS: [string, string[]][] = [
  [
    'Every operation',
    ['changed', 'result', 'key-id', 'key-name', 'role-id', 'role-name', 'active']
  ],
  ['rotate and create', ['secrets-updated', 'previous-key-id', 'expiry-date']],
  ['describe', ['created', 'last-sign-in']],
  ['audit', ['findings', 'flagged-count', 'flagged-keys', 'findings-file']]
]

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

/** `fields` picked in the order of `names`; each name must be one of them, each used once. */
function grouped(
  kind: string,
  fields: Record<string, Field>,
  groups: string[][]
): Record<string, Field>[] {
  const seen = groups.flat()
  const twice = seen.filter((n, i) => seen.indexOf(n) !== i)
  const unknown = seen.filter((n) => !(n in fields))
  const missing = Object.keys(fields).filter((n) => !seen.includes(n))
  if (twice.length || unknown.length || missing.length)
    throw new Error(
      `scripts/readme-tables.ts: the ${kind} groups do not match action.yml` +
        (missing.length ? `; in no group: ${missing.join(', ')}` : '') +
        (unknown.length ? `; not in action.yml: ${unknown.join(', ')}` : '') +
        (twice.length ? `; in two groups: ${twice.join(', ')}` : '')
    )
  return groups.map((names) => Object.fromEntries(names.map((n) => [n, fields[n]])))
}

/**
 * The reusable workflow's inputs that the action does not have. Every other input must be the
 * action's, with the same default (the docs say so): a difference is an error.
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

interface ReusableWorkflow {
  on: { workflow_call: { inputs: Record<string, Field>; secrets: Record<string, Field> } }
  jobs: Record<string, { concurrency?: { group: string } }>
}

function metadata(): {
  action: { inputs: Record<string, Field>; outputs: Record<string, Field> }
  workflow: ReusableWorkflow
} {
  return {
    action: parse(read('action.yml')) as {
      inputs: Record<string, Field>
      outputs: Record<string, Field>
    },
    workflow: parse(read('.github/workflows/manage-api-key.yml')) as ReusableWorkflow
  }
}

/** docs/inputs.md, whole. */
export function inputsDoc(): string {
  const { action, workflow } = metadata()
  const call = workflow.on.workflow_call
  const inputs = grouped(
    'input',
    action.inputs,
    INPUT_GROUPS.map(([, , names]) => names)
  )
  const outputs = grouped(
    'output',
    action.outputs,
    OUTPUT_GROUPS.map(([, names]) => names)
  )
  return [
    '# Inputs and outputs',
    '',
    '<!-- Generated by `npm run readme` from action.yml and .github/workflows/manage-api-key.yml: edit those, not this file. -->',
    '',
    'Every input is checked before the first request and all problems are reported together; an',
    'input that does not apply to the operation or platform is ignored with a warning that names it.',
    '',
    '## Inputs',
    '',
    ...INPUT_GROUPS.flatMap(([title, note], i) => [
      `### ${title}`,
      '',
      note,
      '',
      inputsTable(inputs[i]),
      ''
    ]),
    '## Outputs',
    '',
    'Every run also writes a job summary (the key, what changed, each destination and its result;',
    'for an audit one row per key, most urgent first). No output and no summary holds a secret.',
    '',
    ...OUTPUT_GROUPS.flatMap(([title], i) => [`### ${title}`, '', outputsTable(outputs[i]), '']),
    '## The reusable workflow',
    '',
    "Its inputs are the action's, with the same names and defaults, and these:",
    '',
    inputsTable(ownInputs(call.inputs, action.inputs), true),
    '',
    '`api-secret-key` and `github-token` are secrets:',
    '',
    secretsTable(call.secrets),
    ''
  ].join('\n')
}

/** Generated blocks of docs/reusable-workflow.md, by marker name. */
export function reusableBlocks(): Record<string, string> {
  const { workflow } = metadata()
  const groups = Object.values(workflow.jobs).flatMap((j) =>
    j.concurrency ? [j.concurrency.group] : []
  )
  return { concurrency: ['```yaml', ...groups.map((g) => `group: ${g}`), '```'].join('\n') }
}

/** `text` with every marked block replaced by its generated text. */
export function withBlocks(text: string, blocks: Record<string, string>, file: string): string {
  let out = text
  for (const [name, block] of Object.entries(blocks)) {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const from = out.indexOf(start)
    const to = out.indexOf(end)
    if (from < 0 || to < from) throw new Error(`${file} has no ${start} ... ${end} block`)
    out = `${out.slice(0, from + start.length)}\n\n${block}\n\n${out.slice(to)}`
  }
  return out
}

/** The files that name the action as users call it (uses: lines, links). */
export function identityFiles(): string[] {
  const examples = readdirSync(new URL('docs/examples/', root))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `docs/examples/${f}`)
  return [
    'README.md',
    'docs/inputs.md',
    'docs/reusable-workflow.md',
    'docs/recipes.md',
    'docs/setup.md',
    'docs/how-it-works.md',
    '.github/workflows/manage-api-key.yml',
    ...examples
  ]
}

/** `text` with every `owner/name` of this action (in `uses:` and github.com links) the current one. */
export function withIdentity(text: string, id = identity()): string {
  const name = id.name.replace(/[.-]/g, '\\$&')
  return text
    .replace(new RegExp(`(uses:\\s*|\`)[\\w.-]+/${name}(?=[@/])`, 'g'), `$1${id.slug}`)
    .replace(new RegExp(`github\\.com/[\\w.-]+/${name}\\b`, 'g'), `github.com/${id.slug}`)
}

/** Every generated file's expected text, by path. */
export function generated(): Record<string, string> {
  const files: Record<string, string> = { 'docs/inputs.md': inputsDoc() }
  files['docs/reusable-workflow.md'] = withBlocks(
    read('docs/reusable-workflow.md'),
    reusableBlocks(),
    'docs/reusable-workflow.md'
  )
  for (const path of identityFiles()) files[path] = withIdentity(files[path] ?? read(path))
  return files
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [path, text] of Object.entries(generated())) writeFileSync(new URL(path, root), text)
  console.log(
    'docs/inputs.md, the concurrency group of docs/reusable-workflow.md and the action identity written from action.yml, the reusable workflow and package.json'
  )
}
