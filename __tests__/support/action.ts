import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DIST_ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

/** Everything one run of the action left behind. */
export interface ActionRun {
  /** Everything printed to stdout and stderr (workflow commands included). */
  log: string
  outputs: Record<string, string>
  summary: string
  failed: boolean
}

export type Inputs = Record<string, string>

function inputEnv(inputs: Inputs): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
  )
}

function files(): { dir: string; output: string; summary: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ws-action-'))
  const output = join(dir, 'output')
  const summary = join(dir, 'summary.md')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  return { dir, output, summary }
}

/** Parses the `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i])
    outputs[name] = value.join('\n')
  }
  return outputs
}

/** Runs the committed bundle `dist/index.js` as a child process, as a runner would. */
export async function runBundled(
  inputs: Inputs,
  env: Record<string, string> = {}
): Promise<ActionRun> {
  const f = files()
  const child = spawn(process.execPath, [DIST_ENTRY], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_OUTPUT: f.output,
      GITHUB_STEP_SUMMARY: f.summary,
      RUNNER_TEMP: f.dir,
      ...env,
      ...inputEnv(inputs)
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
  return {
    log,
    outputs: parseOutputFile(readFileSync(f.output, 'utf8')),
    summary: readFileSync(f.summary, 'utf8'),
    failed: code !== 0
  }
}

const inProcessFiles = files()

/**
 * Runs `run()` from the source in this process, with an injected sleep, capturing what it
 * prints. @actions/core caches the summary file path, so every run here shares one file.
 */
export async function runInProcess(
  inputs: Inputs,
  env: Record<string, string> = {},
  sleep: (ms: number) => Promise<void> = async () => undefined
): Promise<ActionRun> {
  const { run } = await import('../../src/main.js')
  const saved = { ...process.env }
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  writeFileSync(inProcessFiles.output, '')
  writeFileSync(inProcessFiles.summary, '')
  Object.assign(process.env, {
    GITHUB_OUTPUT: inProcessFiles.output,
    GITHUB_STEP_SUMMARY: inProcessFiles.summary,
    ...env,
    ...inputEnv(inputs)
  })
  let log = ''
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array) => {
    log += chunk.toString()
    return true
  }) as typeof process.stdout.write
  process.exitCode = undefined
  try {
    await run({ sleep })
  } finally {
    process.stdout.write = write
    process.env = saved
  }
  const failed = process.exitCode === 1
  process.exitCode = undefined
  return {
    log,
    outputs: parseOutputFile(readFileSync(inProcessFiles.output, 'utf8')),
    summary: readFileSync(inProcessFiles.summary, 'utf8'),
    failed
  }
}

/**
 * Every place a secret shows up in what the run left behind, except the `::add-mask::`
 * command that masks it. Empty when nothing leaked.
 */
export function leaks(run: ActionRun, secrets: string[]): string[] {
  const found: string[] = []
  // A manager secret is `<id>:<random>`: its random part alone is a leak too.
  const needles = secrets
    .flatMap((s) => [s, s.slice(s.indexOf(':') + 1)])
    .filter((s) => s.length >= 8)
  for (const secret of needles) {
    for (const line of run.log.split('\n')) {
      if (line.includes(secret) && !/^::add-mask::/.test(line.trim())) found.push(`log: ${line}`)
    }
    for (const [name, value] of Object.entries(run.outputs)) {
      if (value.includes(secret)) found.push(`output ${name}`)
    }
    if (run.summary.includes(secret)) found.push('summary')
  }
  return found
}
