import { spawn, type ChildProcess } from 'node:child_process'
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

/** The Node binary that runs the bundle. */
export function actionNode(): string {
  return process.env.ACTION_NODE || process.execPath
}

/** A run of the bundle in progress: its process, its log so far, and its end. */
export interface BundledRun {
  child: ChildProcess
  log: () => string
  /** Resolves once the log contains `text`. */
  waitFor: (text: string) => Promise<void>
  done: Promise<ActionRun>
}

/**
 * Starts the committed bundle `dist/index.js` as a child process, as a runner would, with the
 * Node binary `ACTION_NODE` names, else this one.
 */
export function startBundled(
  inputs: Inputs,
  env: Record<string, string> = {},
  entry = DIST_ENTRY
): BundledRun {
  const files = runnerFiles()
  const child = spawn(actionNode(), [entry], {
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
  const waiters: { text: string; resolve: () => void }[] = []
  const append = (chunk: Buffer): void => {
    log += chunk.toString()
    for (const w of waiters.filter((w) => log.includes(w.text))) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve()
    }
  }
  child.stdout!.on('data', append)
  child.stderr!.on('data', append)
  const done = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1))).then(
    (code) => {
      const run = {
        log,
        outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
        failed: code !== 0
      }
      rmSync(files.dir, { recursive: true, force: true })
      return run
    }
  )
  return {
    child,
    log: () => log,
    waitFor: (text) =>
      log.includes(text)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ text, resolve })),
    done
  }
}

/** Runs the committed bundle `dist/index.js` (or a copy: `entry`) as a child process to its end. */
export function runBundled(
  inputs: Inputs,
  env: Record<string, string> = {},
  entry = DIST_ENTRY
): Promise<ActionRun> {
  return startBundled(inputs, env, entry).done
}

/**
 * The log as a runner shows it: every value masked with `::add-mask::` replaced by `***`, the
 * mask commands and debug lines hidden, groups shown as headings.
 */
export function asRunnerShowsIt(log: string): string {
  const masks = [...log.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]).filter(Boolean)
  return log
    .split('\n')
    .filter((line) => line && !/^::(add-mask|debug|endgroup)::/.test(line))
    .map((line) => {
      let shown = line
        .replace(/^::group::(.*)$/, '> $1')
        .replace(
          /^::(error|warning|notice)[^:]*::(.*)$/,
          (_m, kind: string, text: string) => `${kind[0].toUpperCase()}${kind.slice(1)}: ${text}`
        )
      for (const mask of masks) shown = shown.split(mask).join('***')
      return shown
    })
    .join('\n')
}

/** One command of a replay block: which destination, the URL it PUTs to, and the body. */
export interface ReplayCommand {
  label: string
  keyId: string
  url: string
  body: string
  /** The command as printed, for a shell (`$WRITER_TOKEN` in it). */
  command: string
}

/** A shell word of single-quoted parts and backslash escapes, as the action quotes a word. */
const QUOTED = String.raw`((?:'[^'\n]*'|\\.)+)`
const URL_AND_BODY = new RegExp(String.raw`\s${QUOTED} -d ${QUOTED}$`)

/** The text a single-quoted shell word stands for. */
function unquote(word: string): string {
  return word.replace(
    /'([^']*)'|\\(.)/g,
    (_m, quoted?: string, escaped?: string) => quoted ?? escaped!
  )
}

/** The commands of every replay block in a log, in the order they were printed (one line each). */
export function replayCommands(log: string): ReplayCommand[] {
  const lines = log.split('\n')
  const commands: ReplayCommand[] = []
  lines.forEach((line, i) => {
    const heading = /^Replay for (.+?) \(sealed for its public key ([^)]*)\):$/.exec(line)
    const command = lines[i + 1]?.startsWith('  curl ') ? lines[i + 1].trim() : undefined
    const words = heading && command && URL_AND_BODY.exec(command)
    if (!words) return
    commands.push({
      label: heading[1],
      keyId: heading[2],
      url: unquote(words[1]),
      body: unquote(words[2]),
      command
    })
  })
  return commands
}
