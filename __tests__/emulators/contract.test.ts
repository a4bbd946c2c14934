/*
 * The contract checkers (support/contract.ts) that useEmulators() runs over every exchange of
 * every test: they accept what Trend Micro's and GitHub's OpenAPI descriptions allow and
 * reject what they do not. The Vision One checker: vision-one-contract.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import type { Exchange } from '../../emulators/server.js'
import { contractViolations, githubContractViolations, OPENAPI_PATH } from '../support/contract.js'

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

describe('GitHub contract check', () => {
  const exchange = (partial: Record<string, unknown>) => ({
    method: 'PUT',
    path: '/orgs/octo/dependabot/secrets/X',
    headers: {},
    body: undefined,
    acted: true,
    at: 0,
    ...partial
  })

  it("reports requests and answers that GitHub's description does not allow", async () => {
    expect(
      await githubContractViolations(
        exchange({ body: { encrypted_value: 'AAAA', key_id: '1' }, status: 201, responseBody: {} })
      )
    ).toEqual([
      "PUT /orgs/octo/dependabot/secrets/X request: /requestBody must have required property 'visibility'"
    ])
    expect(
      await githubContractViolations(
        exchange({
          method: 'GET',
          path: '/repos/octo/app/dependabot/secrets/public-key',
          status: 200,
          responseBody: { key: 'k' }
        })
      )
    ).toEqual([
      "GET /repos/octo/app/dependabot/secrets/public-key response:  must have required property 'key_id'"
    ])
    expect(await githubContractViolations(exchange({ method: 'DELETE', status: 200 }))).toEqual([
      'DELETE /orgs/octo/dependabot/secrets/X: HTTP 200 is not a documented answer'
    ])
    expect(
      await githubContractViolations(
        exchange({
          method: 'GET',
          path: '/repos/octo/app/environments/production/dependabot/secrets'
        })
      )
    ).toEqual([
      "GET /repos/octo/app/environments/production/dependabot/secrets: no such operation in GitHub's OpenAPI description"
    ])
  })

  it('does not check an answer a fault injected', async () => {
    expect(
      await githubContractViolations(
        exchange({
          method: 'GET',
          path: '/repos/octo/app',
          status: 200,
          responseBody: {},
          fault: { status: 200, body: {} }
        })
      )
    ).toEqual([])
  })
})
