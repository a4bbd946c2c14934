/**
 * `npm run demo`: the bundled action against the project's loopback emulators of Workload
 * Security and GitHub. Runs describe, lock, unlock, set-role and a full rotation, printing each
 * run's log and job summary, then shows what the rotation did on both sides.
 */
import { startSeededEmulators, WRITE_TOKEN } from '../emulators/seed.js'
import { runBundled, type ActionRun, type Inputs } from './run-action.js'

const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)

const ENTITIES: Record<string, string> = { quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' }

/** The job summary as plain text: tables as rows, tags dropped. */
function summaryText(html: string): string {
  return html
    .replace(/<\/t[hd]>\s*<t[hd]>/g, ' | ')
    .replace(/<\/tr>/g, '\n')
    .replace(/<h2>(.*?)<\/h2>/g, '## $1\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(quot|#39|lt|gt|amp);/g, (_, e: string) => ENTITIES[e])
    .replace(/\n{2,}/g, '\n')
    .trim()
}

function show(title: string, run: ActionRun): void {
  console.log(`\n${bold(`=== ${title} ${run.failed ? '(FAILED)' : ''}`)}`)
  console.log(bold('--- log'))
  console.log(
    run.log
      .split('\n')
      .filter((line) => line && !line.startsWith('::debug::'))
      .join('\n')
  )
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
    { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'octo/app' }
  )
  show('rotate (the key rotates its own secret into two repositories)', rotation)
  const newSecret = ws.keys.get(deployer.ID)!.secret
  console.log(`\n${bold('=== what the rotation did')}`)
  console.log(`old secret still authenticates:  ${ws.authenticates(oldSecret)}`)
  console.log(`new secret authenticates:        ${ws.authenticates(newSecret)}`)
  for (const repository of ['octo/app', 'octo/api']) {
    const stored = github.secret({ repository }, 'WORKLOAD_SECURITY_API_KEY')
    console.log(
      `${repository} secret WORKLOAD_SECURITY_API_KEY opens to the new secret: ${stored?.value === newSecret} (updated ${stored?.updatedAt})`
    )
  }
  console.log(
    `new secret printed anywhere by the action: ${rotation.log.split('\n').some((l) => l.includes(newSecret) && !l.startsWith('::add-mask::'))}`
  )
  process.exitCode = rotation.failed ? 1 : 0
} finally {
  await world.stop()
}
