import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import type { Exchange } from '../../emulators/server.js'
import { search } from '../../emulators/workload-security.js'
import { contractViolations, OPENAPI_PATH } from '../support/contract.js'

const AUTH = { 'api-version': 'v1', 'api-secret-key': '1:x' }

function exchange(partial: Partial<Exchange>): Exchange {
  return {
    method: 'GET',
    path: '/apikeys/1',
    headers: AUTH,
    body: undefined,
    acted: true,
    at: 0,
    ...partial
  }
}

// Every exchange of every test with the emulators is checked by __tests__/support/emulators.ts;
// these cases show the checker rejects what the OpenAPI description forbids.
describe('the OpenAPI contract checker', () => {
  it('accepts a documented exchange', async () => {
    expect(
      await contractViolations(
        exchange({ status: 200, responseBody: { ID: 1, keyName: 'a', active: true, roleID: 2 } })
      )
    ).toEqual([])
  })

  it.each<[string, Partial<Exchange>, RegExp]>([
    ['an undocumented method', { method: 'PUT' }, /no such operation/],
    ['a path parameter that is not \\d+', { path: '/apikeys/abc' }, /apiKeyID/],
    ['a missing api-version header', { headers: { 'api-secret-key': '1:x' } }, /api-version/],
    ['no authentication header', { headers: { 'api-version': 'v1' } }, /no header of the schemes/],
    [
      'a wrong request body type',
      { method: 'POST', path: '/apikeys/1', body: { roleID: 'two' } },
      /roleID must be integer/
    ],
    [
      'a search filter of the wrong shape',
      { method: 'POST', path: '/apikeys/search', body: { maxItems: 'all' } },
      /maxItems must be integer/
    ],
    [
      'a response body of the wrong shape',
      { status: 200, responseBody: { ID: 1, active: 'yes' } },
      /active must be boolean/
    ]
  ])('rejects %s', async (_name, partial, message) => {
    const problems = await contractViolations(exchange(partial))
    expect(problems.join('\n')).toMatch(message)
  })
})

it('uses the same OpenAPI description as shared/ when it is beside the project', () => {
  const shared = new URL(
    '../../../shared/workload-security-openapi/api-keys-and-roles.json',
    import.meta.url
  )
  if (!existsSync(shared)) return
  expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(readFileSync(shared, 'utf8'))
})

describe('the emulator search', () => {
  const keys = [
    { ID: 1, keyName: 'ci_key' },
    { ID: 2, keyName: 'ci-key' },
    { ID: 3, keyName: 'ci-key-old' }
  ]
  const byName = (stringValue: string, stringWildcards?: boolean) =>
    search(keys, {
      searchCriteria: [{ fieldName: 'keyName', stringTest: 'equal', stringValue, stringWildcards }]
    }).map((k) => k.ID)

  it('treats _ and % as wildcards by default, as the manager does', () => {
    expect(byName('ci_key')).toEqual([1, 2])
    expect(byName('ci%')).toEqual([1, 2, 3])
  })

  it('matches exactly with stringWildcards false', () => {
    expect(byName('ci_key', false)).toEqual([1])
    expect(byName('ci%', false)).toEqual([])
  })

  it('ANDs criteria and honours maxItems and ID tests', () => {
    expect(search(keys, { maxItems: 1 }).map((k) => k.ID)).toEqual([1])
    expect(
      search(keys, {
        searchCriteria: [
          { idTest: 'greater-than', idValue: 1 },
          { fieldName: 'keyName', stringTest: 'not-equal', stringValue: 'ci-key' }
        ]
      }).map((k) => k.ID)
    ).toEqual([3])
  })
})
