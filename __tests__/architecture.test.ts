import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** The text of a module of src/. */
function source(file: string): string {
  return readFileSync(join(resolve('src'), file), 'utf8')
}

/** Every module of src/ and the src/ modules it imports (type imports included). */
function importGraph(): Map<string, string[]> {
  const root = resolve('src')
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(root, f))
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const targets = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
      relative(root, resolve(dirname(file), `${m[1]}.ts`))
    )
    graph.set(relative(root, file), targets)
  }
  return graph
}

describe('src/ layering (docs/architecture.md)', () => {
  const graph = importGraph()

  it('reads every module', () => {
    expect(graph.size).toBeGreaterThan(20)
    expect(graph.get('main.ts')).toContain('inputs.ts')
  })

  it('has no import circle', () => {
    const cycles: string[] = []
    const state = new Map<string, 'visiting' | 'done'>()
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === 'done') return
      if (state.get(node) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '))
        return
      }
      state.set(node, 'visiting')
      for (const next of graph.get(node) ?? []) visit(next, [...path, node])
      state.set(node, 'done')
    }
    for (const node of graph.keys()) visit(node, [])
    expect(cycles).toEqual([])
  })

  it('keeps the input parser to the entry: clients and operations never import it', () => {
    const importers = [...graph].filter(([, targets]) => targets.includes('inputs.ts'))
    expect(importers.map(([file]) => file)).toEqual(['main.ts'])
  })

  it('keeps the clients below the operations and the report', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      /^(platforms|github|http)\//.test(file)
        ? targets
            .filter((t) => /^(operations\/|report|main|inputs)/.test(t))
            .map((t) => `${file} -> ${t}`)
        : []
    )
    expect(upward).toEqual([])
  })

  it('lets operations see a key platform only through the seam (platforms/key-platform.ts)', () => {
    const reaching = [...graph].flatMap(([file, targets]) =>
      file.startsWith('operations/')
        ? targets
            .filter((t) => t.startsWith('platforms/') && t !== 'platforms/key-platform.ts')
            .map((t) => `${file} -> ${t}`)
        : []
    )
    expect(reaching).toEqual([])
    // Only the factory picks a platform's client.
    const clients = [...graph].flatMap(([file, targets]) =>
      targets.some((t) => /^platforms\/[^/]+\//.test(t)) && !file.startsWith('platforms/')
        ? [file]
        : []
    )
    expect(clients).toEqual([])
  })

  it('keeps the operations platform-neutral: no operation names cloud-one', () => {
    // What cloud-one needs of them goes through the seam (restrictLike, keysNeverExpire).
    const naming = [...graph.keys()].filter(
      (file) => file.startsWith('operations/') && /cloud-?one|Cloud One/i.test(source(file))
    )
    expect(naming).toEqual([])
  })

  it("keeps each platform's wire field names and paths inside its own folder", () => {
    // (keyName is also the action's own word for the key-name input, so it is not listed.)
    const wire = /\b(roleID|secretKey|expiryDate|lastSignIn|apiKeys)\b|\.ID\b|\/apikeys\b/
    const outside = [...graph.keys()].filter(
      (file) => !/^platforms\/[^/]+\//.test(file) && wire.test(source(file))
    )
    expect(outside).toEqual([])
  })

  it('keeps the operations apart: create does not import rotate, and report imports no operation', () => {
    expect(graph.get('operations/create.ts')).not.toContain('operations/rotate.ts')
    expect(graph.get('report.ts')?.filter((t) => t.startsWith('operations/'))).toEqual([])
  })

  it('has one retry loop (http/retry.ts): nothing else catches, sleeps and tries again', () => {
    const retryLoop =
      /\b(for|while)\s*\([^)]*\)\s*\{[\s\S]{0,1200}?\bcatch\b[\s\S]{0,600}?\.sleep\(/
    const loops = [...graph.keys()].filter((file) => retryLoop.test(source(file)))
    expect(loops).toEqual(['http/retry.ts'])
    const backoff = [...graph.keys()].filter(
      (file) => file !== 'http/retry.ts' && /\bbackoffDelay\b/.test(source(file))
    )
    expect(backoff).toEqual([])
  })
})
