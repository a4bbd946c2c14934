/** Dates as the log, the outputs and the summary show them. */

export const DAY_MS = 86_400_000

/** ISO 8601 UTC of a time (ms since the epoch); empty when absent. */
export function isoDate(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString()
}

/** "in 12 days", "41 days ago", "today". */
export function relative(time: number, at: number): string {
  const days = Math.floor(Math.abs(time - at) / DAY_MS)
  if (days === 0) return 'today'
  const span = `${days} day${days === 1 ? '' : 's'}`
  return time > at ? `in ${span}` : `${span} ago`
}
