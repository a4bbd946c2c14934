/**
 * `npm run demo`: the bundled action against the project's loopback emulators of Workload
 * Security, Vision One and GitHub. Runs describe, lock, set-role, a rotation, a cancelled
 * rotation and its replay, a pair created and rotated with `strategy: alternate`, and an audit;
 * then on Vision One a `replace` rotation, an alternating pair and an audit; then on Cloud One
 * a `replace` rotation that keeps the old key's network limits, a lock and an audit. Prints each run's
 * log as a runner shows it (masked), its outputs and its job summary.
 */
import { valueOf } from '../emulators/cloud-one.js'
import {
  startSeededCloudOneWorld,
  startSeededEmulators,
  startSeededVisionOneWorld,
  WRITE_TOKEN
} from '../emulators/seed.js'
import {
  asRunnerShowsIt,
  replayCommands,
  runBundled,
  startBundled,
  type ActionRun,
  type Inputs
} from './run-action.js'

const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)

const ENTITIES: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' }

/** The job summary as plain text: tables as rows, tags dropped, entities decoded. */
function summaryText(html: string): string {
  return html
    .replace(/<\/t[hd]>\s*<t[hd]>/g, ' | ')
    .replace(/<\/tr>/g, '\n')
    .replace(/<h2>(.*?)<\/h2>/g, '## $1\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&(quot|lt|gt|amp);/g, (_, e: string) => ENTITIES[e])
    .replace(/\n{2,}/g, '\n')
    .trim()
}

function show(title: string, run: ActionRun): void {
  console.log(`\n${bold(`=== ${title} ${run.failed ? '(FAILED)' : ''}`)}`)
  console.log(bold('--- log, as the runner shows it'))
  console.log(asRunnerShowsIt(run.log))
  console.log(bold('--- outputs'))
  for (const [name, value] of Object.entries(run.outputs)) {
    if (name !== 'result') console.log(`${name}=${value}`)
  }
  console.log(bold('--- job summary'))
  console.log(summaryText(run.summary))
}

const world = await startSeededEmulators()
const { ws, github, admin, deployer } = world
console.log(bold('Emulators on loopback:'))
console.log(`  Workload Security API: ${ws.url}`)
console.log(`  GitHub API:            ${github.url}`)
console.log(`  keys: ${[...ws.keys.values()].map((k) => `${k.ID} "${k.keyName}"`).join(', ')}`)

const asAdmin: Inputs = { 'api-secret-key': admin.secret, 'api-url': ws.url }
const githubEnv = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'octo/app' }
const printed = (run: ActionRun, secret: string): boolean =>
  run.log.split('\n').some((l) => l.includes(secret) && !l.startsWith('::add-mask::'))
let failures = 0
try {
  show(
    'describe key-name: ci-deployer',
    await runBundled({ ...asAdmin, operation: 'describe', 'key-name': 'ci-deployer' })
  )
  show(
    `lock key-id: ${deployer.ID}`,
    await runBundled({ ...asAdmin, operation: 'lock', 'key-id': String(deployer.ID) })
  )
  console.log(`\nThe locked key authenticates: ${ws.authenticates(deployer.secret)}`)
  show(
    `unlock key-id: ${deployer.ID}`,
    await runBundled({ ...asAdmin, operation: 'unlock', 'key-id': String(deployer.ID) })
  )
  show(
    'set-role role-name: Auditor',
    await runBundled({
      ...asAdmin,
      operation: 'set-role',
      'key-id': String(deployer.ID),
      'role-name': 'Auditor'
    })
  )

  // 1. A rotation of the key the workflow uses.
  const oldSecret = deployer.secret
  const rotation = await runBundled(
    {
      operation: 'rotate',
      'api-secret-key': oldSecret,
      'api-url': ws.url,
      'secret-name': 'WORKLOAD_SECURITY_API_KEY',
      repositories: 'octo/app\nocto/api',
      'github-token': WRITE_TOKEN
    },
    githubEnv
  )
  show('rotate (the key rotates its own secret into two repositories)', rotation)
  failures += rotation.failed ? 1 : 0
  const newSecret = ws.keys.get(deployer.ID)!.secret
  console.log(`\n${bold('=== what the rotation did')}`)
  console.log(`old secret still authenticates:  ${ws.authenticates(oldSecret)}`)
  console.log(`new secret authenticates:        ${ws.authenticates(newSecret)}`)
  for (const repository of ['octo/app', 'octo/api']) {
    const stored = github.secret({ repository }, 'WORKLOAD_SECURITY_API_KEY')
    console.log(`${repository} opens to the new secret: ${stored?.value === newSecret}`)
  }
  console.log(`new secret printed anywhere by the action: ${printed(rotation, newSecret)}`)

  // 2. A rotation cancelled by the runner while the manager is still issuing the new secret.
  ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, respondAfterMs: 1500 })
  const cancelled = startBundled(
    {
      ...asAdmin,
      operation: 'rotate',
      'key-id': String(deployer.ID),
      'secret-name': 'WS_CANCELLED',
      repositories: 'octo/web',
      'github-token': WRITE_TOKEN
    },
    githubEnv
  )
  await cancelled.waitFor('::group::Regenerate')
  await new Promise((resolve) => setTimeout(resolve, 200))
  cancelled.child.kill('SIGINT')
  // The runner's SIGTERM comes 7.5 s after SIGINT; this run reports long before.
  const sigterm = setTimeout(() => cancelled.child.kill('SIGTERM'), 7_500)
  const cancelledRun = await cancelled.done
  clearTimeout(sigterm)
  show(
    'rotate, cancelled by the runner (SIGINT) while the manager issues the new secret',
    cancelledRun
  )
  ws.clearFaults()
  const [replay] = replayCommands(cancelledRun.log)
  const cancelledSecret = ws.keys.get(deployer.ID)!.secret
  if (replay) {
    const response = await fetch(replay.url, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${WRITE_TOKEN}`, Accept: 'application/vnd.github+json' },
      body: replay.body
    })
    const stored = github.secret({ repository: 'octo/web' }, 'WS_CANCELLED')?.value
    console.log(`\n${bold('=== the sealed copy the cancelled run printed, replayed by hand')}`)
    console.log(`PUT ${replay.url} -> HTTP ${response.status}`)
    console.log(`octo/web WS_CANCELLED opens to the new secret: ${stored === cancelledSecret}`)
    console.log(`...which authenticates: ${ws.authenticates(stored ?? '')}`)
    failures += stored === cancelledSecret ? 0 : 1
  } else {
    console.log('No replay block was printed: that would be a bug.')
    failures++
  }

  // 3. A pair: created in two runs, then rotated with strategy: alternate.
  const pairInputs = (name: string): Inputs => ({
    ...asAdmin,
    operation: 'create',
    'key-name': name,
    'role-name': 'Deployer',
    description: 'zero-downtime pair',
    'expiry-days': '60',
    'secret-name': 'WS_PAIR',
    'github-token': WRITE_TOKEN
  })
  show('create deployer-a', await runBundled(pairInputs('deployer-a'), githubEnv))
  const createdB = await runBundled(pairInputs('deployer-b'), githubEnv)
  show('create deployer-b (the secret now holds the live key b)', createdB)
  failures += createdB.failed ? 1 : 0
  const heldBefore = github.secret({ repository: 'octo/app' }, 'WS_PAIR')?.value ?? ''
  console.log(
    `\nA job starts before the rotation and reads WS_PAIR (key ${heldBefore.split(':')[0]}).`
  )
  const alternate = await runBundled(
    {
      ...asAdmin,
      operation: 'rotate',
      strategy: 'alternate',
      'key-name': 'deployer-a, deployer-b',
      'expiry-days': '60',
      'secret-name': 'WS_PAIR',
      'github-token': WRITE_TOKEN
    },
    githubEnv
  )
  show('rotate strategy: alternate (deployer-a, deployer-b)', alternate)
  failures += alternate.failed ? 1 : 0
  const heldAfter = github.secret({ repository: 'octo/app' }, 'WS_PAIR')?.value ?? ''
  console.log(`\n${bold('=== what the alternating rotation did')}`)
  console.log(
    `WS_PAIR now holds key ${heldAfter.split(':')[0]}, which authenticates: ${ws.authenticates(heldAfter)}`
  )
  console.log(
    `the job that started before the rotation still authenticates: ${ws.authenticates(heldBefore)}`
  )

  // 4. An audit of every key, with one more: a Full Access key created 400 days ago and never used.
  ws.addKey({ keyName: 'forgotten', roleID: 1, created: Date.now() - 400 * 86_400_000 })
  console.log(`\nAdded key "forgotten": Full Access, created 400 days ago, never signed in.`)
  const audit = await runBundled({ ...asAdmin, operation: 'audit', 'warn-days': '90' })
  show('audit (warn-days: 90)', audit)
  failures += await visionOne()
  failures += await cloudOne()
  process.exitCode = failures > 0 ? 1 : 0
} finally {
  await world.stop()
}

/** Vision One platform keys: a replacement, an alternating pair and an audit. */
async function visionOne(): Promise<number> {
  const v1world = await startSeededVisionOneWorld()
  const { v1, github: gh, admin: v1admin, deployerA, deployerB } = v1world
  const env = { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'octo/app' }
  const asV1Admin: Inputs = {
    platform: 'vision-one',
    'api-secret-key': v1admin.secret,
    'api-url': v1.url
  }
  let failed = 0
  console.log(`\n${bold('Vision One emulator on loopback:')} ${v1.url}`)
  console.log(`  keys: ${[...v1.keys.values()].map((k) => `"${k.name}"`).join(', ')}`)
  try {
    // 1. replace: a new key takes over; the old one is deleted once every destination holds it.
    gh.seedSecret({ repository: 'octo/app' }, 'V1_SIEM', { value: deployerA.secret })
    gh.seedSecret({ repository: 'octo/api' }, 'V1_SIEM', { value: deployerA.secret })
    const replaced = await runBundled(
      {
        ...asV1Admin,
        operation: 'rotate',
        'key-name': 'deployer-a',
        'expiry-months': '3',
        'secret-name': 'V1_SIEM',
        repositories: 'octo/app, octo/api',
        'github-token': WRITE_TOKEN
      },
      env
    )
    show('vision-one rotate (strategy: replace, the default there)', replaced)
    failed += replaced.failed ? 1 : 0
    const fresh = v1.keyNamed('deployer-a')
    console.log(`\n${bold('=== what the replacement did')}`)
    console.log(`the old key ${deployerA.id} still exists: ${v1.keys.has(deployerA.id)}`)
    console.log(
      `"deployer-a" is now key ${fresh?.id}, which authenticates: ${v1.authenticates(fresh?.secret ?? '')}`
    )
    for (const repository of ['octo/app', 'octo/api']) {
      const value = gh.secret({ repository }, 'V1_SIEM')?.value
      console.log(`${repository} V1_SIEM holds the new token: ${value === fresh?.secret}`)
    }

    // 2. alternate: the idle key is replaced, the live key never touched. deployer-a, just
    // replaced, expires in 3 months: it is the live key, whose token the secret holds; deployer-b
    // expires earlier: it is idle.
    const live = v1.keyNamed('deployer-a')!
    gh.seedSecret({ repository: 'octo/app' }, 'V1_PAIR', { value: live.secret })
    v1.keys.get(deployerB.id)!.expiredDateTime = Date.now() + 50 * 86_400_000
    const pair = await runBundled(
      {
        ...asV1Admin,
        operation: 'rotate',
        strategy: 'alternate',
        'key-name': 'deployer-a, deployer-b',
        'expiry-months': '6',
        'secret-name': 'V1_PAIR',
        'github-token': WRITE_TOKEN
      },
      env
    )
    show('vision-one rotate strategy: alternate (deployer-a, deployer-b)', pair)
    failed += pair.failed ? 1 : 0
    console.log(
      `\nthe live key deployer-a still authenticates with the token jobs read before: ${v1.authenticates(live.secret)}`
    )

    // 3. audit: the same finding kinds where the data exists.
    show(
      'vision-one audit',
      await runBundled({ ...asV1Admin, operation: 'audit', flag: 'never-used,locked,full-access' })
    )
  } finally {
    await v1world.stop()
  }
  return failed
}

/** Cloud One account keys: a replacement that keeps the network limits, a lock and an audit. */
async function cloudOne(): Promise<number> {
  const c1world = await startSeededCloudOneWorld()
  const { c1, github: gh, admin: c1admin, deployerA, deployerB } = c1world
  const env = { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'octo/app' }
  const asC1Admin: Inputs = {
    platform: 'cloud-one',
    'api-secret-key': valueOf(c1admin),
    'api-url': c1.url
  }
  let failed = 0
  console.log(`\n${bold('Cloud One emulator on loopback:')} ${c1.url}`)
  console.log(
    `  keys: ${[...c1.keys.values()].map((k) => `${k.id} "${k.alias}"`).join(', ')}; deployer-a accepts requests only from 192.168.0.1 and 10.20.0.0/16`
  )
  try {
    // 1. replace: a new key, proven without limits, then given the old key's limits, then stored.
    gh.seedSecret({ repository: 'octo/app' }, 'CLOUD_ONE_API_KEY', { value: valueOf(deployerA) })
    const replaced = await runBundled(
      {
        ...asC1Admin,
        operation: 'rotate',
        'key-name': 'deployer-a',
        'secret-name': 'CLOUD_ONE_API_KEY',
        'github-token': WRITE_TOKEN
      },
      env
    )
    show('cloud-one rotate (strategy: replace, the default there)', replaced)
    failed += replaced.failed ? 1 : 0
    const fresh = c1.keyNamed('deployer-a')
    const stored = gh.secret({ repository: 'octo/app' }, 'CLOUD_ONE_API_KEY')?.value
    console.log(`\n${bold('=== what the replacement did')}`)
    console.log(`the old key ${deployerA.id} still exists: ${c1.keys.has(deployerA.id)}`)
    console.log(`"deployer-a" is now key ${fresh?.id}`)
    console.log(
      `its network limits: ${JSON.stringify({ allowedIPs: fresh?.allowedIPs, allowedCIDRs: fresh?.allowedCIDRs })}`
    )
    console.log(
      `octo/app CLOUD_ONE_API_KEY holds exactly <id>:<secret> of it: ${stored === (fresh && valueOf(fresh))}`
    )
    console.log(
      `...which works from an allowed address (10.20.1.2): ${c1.secretState(stored ?? '', '10.20.1.2') === 'valid'}, and from this runner: ${c1.secretState(stored ?? '') === 'valid'}`
    )
    console.log(`new secret printed anywhere by the action: ${printed(replaced, stored ?? '')}`)

    // 2. lock: an incident.
    show(
      'cloud-one lock key-name: deployer-b',
      await runBundled({ ...asC1Admin, operation: 'lock', 'key-name': 'deployer-b' })
    )
    console.log(`\nThe locked key authenticates: ${c1.authenticates(valueOf(deployerB))}`)

    // 3. audit: no expiry findings; key age and last activity remain.
    show(
      'cloud-one audit',
      await runBundled({
        ...asC1Admin,
        operation: 'audit',
        flag: 'stale,never-used,locked,full-access'
      })
    )
  } finally {
    await c1world.stop()
  }
  return failed
}
