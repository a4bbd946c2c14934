/*
 * The Vision One contract checker (support/vision-one-contract.ts), which Trend publishes no
 * OpenAPI description for: it passes every valid request shape of the fixtures, reports every
 * broken one, takes Trend's stub answers as shaped, and reports answers that depart from them.
 * The emulator it checks: vision-one-emulator.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import type { Exchange } from '../../emulators/server.js'
import {
  ANSWER_SHAPES,
  REQUEST_SHAPES,
  TREND_STUBS,
  answerShapeProblems,
  exchangeOf,
  stubAnswer,
  visionOneContractViolations,
  visionOneRequestViolations
} from '../support/vision-one-contract.js'

const KEYS = '/v3.0/iam/apiKeys'
const CONNECTIVITY = '/v3.0/healthcheck/connectivity'

interface ErrorBody {
  error: { code: string; message: string; number?: number }
}
interface Item {
  status: number
  headers?: { name: string; value: string }[]
  body?: { id: string; value: string; expiredDateTime?: string | null } & Partial<ErrorBody>
}
interface Page {
  totalCount: number
  count: number
  items: Record<string, unknown>[]
  nextLink?: string
}
const newKey = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  role: 'SIEM',
  monthsToExpiration: 1,
  ...extra
})

describe('Vision One contract checker', () => {
  it.each(REQUEST_SHAPES.valid.map((shape) => [shape.name, shape] as const))(
    'passes the valid request shape: %s',
    (_, shape) => {
      expect(visionOneRequestViolations(exchangeOf(shape))).toEqual([])
    }
  )

  it.each(REQUEST_SHAPES.invalid.map((shape) => [shape.name, shape] as const))(
    'reports the broken request shape: %s',
    (_, shape) => {
      const violations = visionOneRequestViolations(exchangeOf(shape))
      expect(violations.some((v) => v.includes(shape.violation!))).toBe(true)
    }
  )

  it('takes every answer of Trend’s stubs as shaped as Trend’s stubs', () => {
    const origin = 'https://api.xdr.trendmicro.com'
    const answer = (stub: (typeof TREND_STUBS)[keyof typeof TREND_STUBS]) =>
      stubAnswer(stub, origin).body
    expect(answerShapeProblems(answer(TREND_STUBS.getApiKey), 'key')).toEqual([])
    expect(answerShapeProblems(answer(TREND_STUBS.listApiKeys), 'list')).toEqual([])
    const [created] = answer(TREND_STUBS.createApiKeys) as Item[]
    expect(created.headers![0].value).toBe(`${origin}/v3.0/iam/apiKeys/${created.body!.id}`)
    expect(answerShapeProblems(created, 'createdItem')).toEqual([])
    const [deleted] = answer(TREND_STUBS.deleteApiKeys) as unknown[]
    expect(answerShapeProblems(deleted, 'deletedItem')).toEqual([])
    expect(answerShapeProblems(answer(TREND_STUBS.connectivity), 'connectivity')).toEqual([])
    for (const stub of [
      TREND_STUBS.conditionNotMet,
      TREND_STUBS.notFound,
      TREND_STUBS.accessDenied,
      TREND_STUBS.badRequest,
      TREND_STUBS.tooManyRequests,
      TREND_STUBS.connectivityServerError
    ])
      expect(answerShapeProblems(answer(stub), 'error', stub.file)).toEqual([])
    expect(
      answerShapeProblems(answer(TREND_STUBS.tooManyRequestsUnwrapped), 'unwrappedError')
    ).toEqual([])
    expect(stubAnswer(TREND_STUBS.pageWithNextLink, origin, KEYS).body).toMatchObject({
      nextLink: 'https://api.xdr.trendmicro.com/v3.0/iam/apiKeys?skipToken=c2tpcFRva2Vu'
    })
    // The list stub's items carry the same fields as the get stub's key.
    const listed = (TREND_STUBS.listApiKeys.response.jsonBody as Page).items[0]
    expect(Object.keys(listed).sort()).toEqual(
      Object.keys(TREND_STUBS.getApiKey.response.jsonBody as object).sort()
    )
    expect(Object.keys(ANSWER_SHAPES)).toEqual(
      expect.arrayContaining(['key', 'list', 'createdItem', 'failedItem', 'error'])
    )
  })

  it('reports answers that depart from Trend’s stubs', () => {
    const id = randomUUID()
    const exchange = (over: Partial<Exchange>): Exchange => ({
      method: 'GET',
      path: KEYS,
      query: 'top=50',
      headers: { authorization: 'Bearer t' },
      body: undefined,
      acted: true,
      at: 0,
      status: 200,
      ...over
    })
    const post = (path: string, body: unknown, status: number, responseBody: unknown) =>
      exchange({
        method: 'POST',
        path,
        query: '',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body,
        status,
        responseBody
      })
    const cases: [Exchange, RegExp][] = [
      [exchange({ responseBody: { totalCount: 1, count: 2, items: [] } }), /count 2 but 0 items/],
      [
        exchange({
          responseBody: { totalCount: 0, count: 0, items: [], nextLink: '/v3.0/iam/apiKeys' }
        }),
        /not an absolute URL/
      ],
      [
        exchange({ path: `${KEYS}/${id}`, query: '', responseBody: { id, name: 'x' } }),
        /status: missing/
      ],
      [
        exchange({
          path: `${KEYS}/${id}`,
          query: '',
          responseBody: {
            id,
            name: 'x',
            status: 'active',
            role: 'SIEM',
            description: '',
            lastUsedDateTime: '',
            expiredDateTime: 'tomorrow',
            value: 'leaked'
          }
        }),
        /"active" is not one of|not an ISO 8601|value: not in Trend's stubs/
      ],
      [
        post(KEYS, [newKey('a')], 207, [{ status: 201, body: { id, expiredDateTime: '' } }]),
        /value: missing|headers: missing/
      ],
      [post(KEYS, [newKey('a'), newKey('b')], 207, [{ status: 400 }]), /1 items for 2 requested/],
      [post(KEYS, [newKey('a')], 201, { id }), /HTTP 201, Trend answers 207/],
      [
        post(`${KEYS}/delete`, [{ id }], 207, [{ status: 200 }]),
        /status 200, Trend's stub has 204/
      ],
      [
        post(`${KEYS}/delete`, [{ id }], 207, [{ status: 404, body: { message: 'gone' } }]),
        /error: missing/
      ],
      [exchange({ status: 404, responseBody: { message: 'Not found' } }), /error: missing/],
      [exchange({ path: CONNECTIVITY, query: '', responseBody: { status: 'ok' } }), /"ok"/]
    ]
    for (const [broken, expected] of cases)
      expect(visionOneContractViolations(broken).join('\n')).toMatch(expected)
    // An answer injected by a fault is not the emulator's: only the request is checked.
    expect(
      visionOneContractViolations(
        exchange({ status: 500, responseBody: { message: 'x' }, fault: { status: 500 } })
      )
    ).toEqual([])
  })
})
