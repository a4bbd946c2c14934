import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// scripts/release.sh in a clone of a small repository under the temporary directory: the real
// script, package.json, package-lock.json and CHANGELOG.md, with an `npm` on PATH that runs the
// real `npm version` and stands in for `npm ci`, `npm run bundle` (writes a dist/ naming the
// version) and `npm test` (fails when FAIL_TESTS is set). Its only remote is a local bare
// repository: nothing is ever pushed anywhere, and the test checks that the script itself
// pushes nothing even there.

const project = fileURLToPath(new URL('../', import.meta.url))
const realNpm = execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()
let base: string
let work: string
let npmLog: string

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${join(base, 'bin')}:${process.env.PATH}`,
    HOME: base,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(base, 'gitconfig'),
    GIT_AUTHOR_NAME: 'Release Test',
    GIT_AUTHOR_EMAIL: 'release@example.invalid',
    GIT_COMMITTER_NAME: 'Release Test',
    GIT_COMMITTER_EMAIL: 'release@example.invalid',
    npm_config_cache: join(base, 'npm-cache'),
    npm_config_update_notifier: 'false',
    REAL_NPM: realNpm,
    NPM_LOG: npmLog,
    ...extra
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: environment(), encoding: 'utf8' }).trim()
}

function release(
  version: string,
  extra: Record<string, string> = {}
): { code: number | null; out: string } {
  const result = spawnSync('bash', [join(work, 'scripts/release.sh'), version], {
    cwd: work,
    env: environment(extra),
    encoding: 'utf8'
  })
  return { code: result.status, out: result.stdout + result.stderr }
}

const npmCalls = (): string[] =>
  readFileSync(npmLog, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
const version = (file: string): string =>
  (JSON.parse(readFileSync(join(work, file), 'utf8')) as { version: string }).version
const tagTarget = (tag: string): string => git(work, 'rev-parse', `${tag}^{commit}`)
const originRefs = (): string => git(join(base, 'origin.git'), 'show-ref')

function addChangelogSection(v: string): void {
  appendFileSync(join(work, 'CHANGELOG.md'), `\n## [${v}] - 2026-12-01\n\n### Added\n\n- More.\n`)
  git(work, 'commit', '-qam', `Changelog for ${v}`)
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'release-test-'))
  writeFileSync(join(base, 'gitconfig'), '[init]\n\tdefaultBranch = main\n')
  mkdirSync(join(base, 'bin'))
  writeFileSync(
    join(base, 'bin/npm'),
    [
      '#!/usr/bin/env bash',
      'echo "$*" >> "$NPM_LOG"',
      'case "$1" in',
      '  version) exec "$REAL_NPM" "$@" ;;',
      '  ci) exit 0 ;;',
      '  run) [ "$2" = bundle ] || exit 2',
      '    echo "bundle $(node -p "require(\'./package.json\').version")" > dist/index.js ;;',
      '  test) [ -z "${FAIL_TESTS:-}" ] || { echo "1 test failed" >&2; exit 1; } ;;',
      '  *) exit 2 ;;',
      'esac'
    ].join('\n') + '\n'
  )
  chmodSync(join(base, 'bin/npm'), 0o755)

  const seed = join(base, 'seed')
  mkdirSync(join(seed, 'scripts'), { recursive: true })
  mkdirSync(join(seed, 'dist'))
  for (const file of ['scripts/release.sh', 'package.json', 'package-lock.json', 'CHANGELOG.md'])
    copyFileSync(join(project, file), join(seed, file))
  writeFileSync(join(seed, 'dist/index.js'), 'bundle 1.0.0\n')
  npmLog = join(base, 'npm.log')
  git(seed, 'init', '-q', '-b', 'main')
  git(seed, 'add', '.')
  git(seed, 'commit', '-qm', 'Release v1.0.0')
  git(seed, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0')
  git(seed, 'tag', '-a', 'v1', '-m', 'v1: v1.0.0')
  git(base, 'clone', '-q', '--bare', seed, 'origin.git')
})

afterAll(() => rmSync(base, { recursive: true, force: true }))

beforeEach(() => {
  rmSync(join(base, 'work'), { recursive: true, force: true })
  git(base, 'clone', '-q', join(base, 'origin.git'), 'work')
  work = join(base, 'work')
  writeFileSync(npmLog, '')
})

describe('scripts/release.sh', () => {
  it('releases X.Y.Z: sets the version, rebuilds, tests, commits, tags vX.Y.Z and moves vX', () => {
    addChangelogSection('1.1.0')
    const before = { v1: tagTarget('v1'), v100: tagTarget('v1.0.0'), origin: originRefs() }

    const { code, out } = release('v1.1.0')

    expect([code, out]).toEqual([0, expect.stringContaining('Tagged v1.1.0 and moved v1')])
    expect(npmCalls()).toEqual([
      'version 1.1.0 --no-git-tag-version --allow-same-version',
      'ci --no-audit --no-fund',
      'run bundle',
      'test'
    ])
    // package.json's version (the User-Agent reads it) and the rebuilt dist/ are committed.
    expect(version('package.json')).toBe('1.1.0')
    expect(version('package-lock.json')).toBe('1.1.0')
    expect(git(work, 'log', '-1', '--format=%s')).toBe('Release v1.1.0')
    expect(git(work, 'show', 'HEAD:dist/index.js')).toBe('bundle 1.1.0')
    expect(git(work, 'status', '--porcelain')).toBe('')
    // An annotated vX.Y.Z at the release commit; vX moved there; v1.0.0 where it was.
    const head = git(work, 'rev-parse', 'HEAD')
    expect(git(work, 'cat-file', '-t', 'v1.1.0')).toBe('tag')
    expect(tagTarget('v1.1.0')).toBe(head)
    expect(git(work, 'cat-file', '-t', 'v1')).toBe('tag')
    expect(tagTarget('v1')).toBe(head)
    expect(before.v1).not.toBe(head)
    expect(tagTarget('v1.0.0')).toBe(before.v100)
    // It prints the two push commands and pushes nothing itself.
    expect(out).toContain('git push origin main v1.1.0 && git push --force origin v1')
    expect(originRefs()).toBe(before.origin)
  })

  it('tags a new major version without touching the previous major tag', () => {
    addChangelogSection('2.0.0')
    const v1 = tagTarget('v1')
    expect(release('2.0.0').code).toBe(0)
    expect(tagTarget('v2')).toBe(git(work, 'rev-parse', 'HEAD'))
    expect(tagTarget('v1')).toBe(v1)
  })

  it.each([
    ['1.2', /usage: scripts\/release\.sh X\.Y\.Z/],
    ['', /usage/],
    ['1.2.3-rc.1', /usage/]
  ])('refuses the version %j', (v, message) => {
    const { code, out } = release(v)
    expect(code).not.toBe(0)
    expect(out).toMatch(message)
    expect(npmCalls()).toEqual([])
  })

  it('refuses a dirty work tree, untracked files included, before changing anything', () => {
    addChangelogSection('1.1.0')
    writeFileSync(join(work, 'notes.txt'), 'untracked\n')
    const { code, out } = release('1.1.0')
    expect(code).not.toBe(0)
    expect(out).toContain('the work tree has uncommitted changes')
    expect(npmCalls()).toEqual([])
    expect(git(work, 'tag', '--list', 'v1.1.0')).toBe('')
  })

  it('refuses a branch other than main', () => {
    addChangelogSection('1.1.0')
    git(work, 'checkout', '-qb', 'feature')
    const { code, out } = release('1.1.0')
    expect([code, out]).toEqual([1, expect.stringContaining('release from main')])
    expect(git(work, 'tag', '--list', 'v1.1.0')).toBe('')
  })

  it('refuses a version whose tag exists: users pinned to it never move', () => {
    const v100 = tagTarget('v1.0.0')
    const { code, out } = release('1.0.0')
    expect([code, out]).toEqual([1, expect.stringContaining('tag v1.0.0 exists')])
    expect(tagTarget('v1.0.0')).toBe(v100)
    expect(npmCalls()).toEqual([])
  })

  it('refuses a CHANGELOG without a section for the version', () => {
    const { code, out } = release('1.1.0')
    expect([code, out]).toEqual([
      1,
      expect.stringContaining('CHANGELOG.md has no section "## [1.1.0]"')
    ])
    expect(npmCalls()).toEqual([])
  })

  it('commits and tags nothing when the tests fail, and says how to start over', () => {
    addChangelogSection('1.1.0')
    const head = git(work, 'rev-parse', 'HEAD')
    const v1 = tagTarget('v1')
    const { code, out } = release('1.1.0', { FAIL_TESTS: '1' })
    expect(code).not.toBe(0)
    expect(out).toContain('nothing was committed or tagged')
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head)
    expect(git(work, 'tag', '--list', 'v1.1.0')).toBe('')
    expect(tagTarget('v1')).toBe(v1)
    // The advice it prints gets back to a tree the next run accepts.
    execFileSync('bash', ['-c', out.split('Start over with: ')[1].trim()], {
      cwd: work,
      env: environment()
    })
    expect(git(work, 'status', '--porcelain')).toBe('')
  })
})
