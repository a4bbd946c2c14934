/**
 * `npm run bench [-- --latency 50 --runs 7]`: runs the committed bundle as a process against the
 * emulators and prints, as medians of several runs:
 * - startup: `describe` at zero latency against a bare `node -e 0`, as a ratio (target <= 2.5);
 * - rotation of `current` into 1, 5 and 20 repositories at a set latency per request: wall
 *   time, requests, and the critical path in round trips, (wall - wall at zero latency) /
 *   latency (target <= 4 whatever the number of repositories);
 * - the bundle's size.
 * It is a measurement, not a test: it exits 0 and says which targets were met. The action (and
 * the bare `node -e 0` it is compared with) runs on the Node binary ACTION_NODE names, else on
 * this one: `ACTION_NODE=/path/to/node24 npm run bench` measures the runtime of `node24` actions.
 */
import { execFileSync, spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { startSeededEmulators, WRITE_TOKEN, type SeededEmulators } from '../emulators/seed.js'
import { actionNode, DIST_ENTRY, runBundled } from './run-action.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const LATENCY_MS = option('latency', 50)
const RUNS = option('runs', 7)
const REPOSITORY_COUNTS = [1, 5, 20]
const TARGET_ROUND_TRIPS = 4
const TARGET_STARTUP_RATIO = 2.5

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function timeProcess(command: string[]): Promise<number> {
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'ignore' })
    child.on('error', reject)
    child.on('close', () => resolve())
  })
  return performance.now() - started
}

async function timeRun(run: () => Promise<{ failed: boolean; log: string }>): Promise<number> {
  const started = performance.now()
  const result = await run()
  const elapsed = performance.now() - started
  if (result.failed) throw new Error(`a benchmark run failed:\n${result.log}`)
  return elapsed
}

function setLatency(world: SeededEmulators, ms: number): void {
  world.ws.latencyMs = ms
  world.github.latencyMs = ms
}

async function rotation(
  world: SeededEmulators,
  repositories: string[]
): Promise<{ wallMs: number; requests: number }> {
  world.ws.log.length = 0
  world.github.log.length = 0
  const wallMs = await timeRun(() =>
    runBundled(
      {
        operation: 'rotate',
        'api-secret-key': world.deployer.secret,
        'api-url': world.ws.url,
        'secret-name': 'BENCH_KEY',
        repositories: repositories.join('\n'),
        'github-token': WRITE_TOKEN
      },
      { GITHUB_API_URL: world.github.url }
    )
  )
  return { wallMs, requests: world.ws.log.length + world.github.log.length }
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
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  say(
    `Machine: ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; the action on Node ${execFileSync(actionNode(), ['--version'], { encoding: 'utf8' }).trim()}`
  )
  say(`Latency per request: ${LATENCY_MS} ms; medians of ${RUNS} runs`)
  say()

  // Warm the file cache and the emulators before measuring.
  await timeProcess([actionNode(), '-e', '0'])
  setLatency(world, 0)
  await rotation(world, ['octo/bench-0'])

  const bare: number[] = []
  const describe: number[] = []
  for (let i = 0; i < RUNS; i++) {
    bare.push(await timeProcess([actionNode(), '-e', '0']))
    describe.push(
      await timeRun(() =>
        runBundled({
          operation: 'describe',
          'api-secret-key': world.admin.secret,
          'api-url': world.ws.url,
          'key-id': 'current'
        })
      )
    )
  }
  const ratio = median(describe) / median(bare)
  say(
    `Startup: describe ${median(describe).toFixed(0)} ms vs node -e 0 ${median(bare).toFixed(0)} ms = ${ratio.toFixed(2)}x (target <= ${TARGET_STARTUP_RATIO}x: ${ratio <= TARGET_STARTUP_RATIO ? 'met' : 'MISSED'})`
  )
  const size = bundleSize()
  say(
    `Bundle: dist/index.js ${size.indexKb.toFixed(0)} KiB, all chunks ${size.totalKb.toFixed(0)} KiB (rotation code and libsodium load only for rotate)`
  )
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
        : 'MISSED'
  say(
    `Critical path: at most ${worst.toFixed(2)} round trips (target <= ${TARGET_ROUND_TRIPS}: ${verdict})`
  )
} finally {
  setLatency(world, 0)
  await world.stop()
}
