import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

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
      /^(workload-security|github)\//.test(file)
        ? targets
            .filter((t) => /^(operations\/|report|main|inputs)/.test(t))
            .map((t) => `${file} -> ${t}`)
        : []
    )
    expect(upward).toEqual([])
  })
})
