import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DIST_ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url))

/** Everything one run of the action left behind. */
export interface ActionRun {
  /** Everything printed to stdout and stderr (workflow commands included). */
  log: string
  outputs: Record<string, string>
  summary: string
  failed: boolean
}

export type Inputs = Record<string, string>

export function inputEnv(inputs: Inputs): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
  )
}

/** A fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY pair, as a runner provides. */
export function runnerFiles(): { dir: string; output: string; summary: string } {
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
  const files = runnerFiles()
  const child = spawn(process.execPath, [DIST_ENTRY], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: files.dir,
      ...env,
      ...inputEnv(inputs)
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
  const run = {
    log,
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    failed: code !== 0
  }
  rmSync(files.dir, { recursive: true, force: true })
  return run
}
