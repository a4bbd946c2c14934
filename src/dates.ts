/** Dates as the log, the outputs and the summary show them. */

export const DAY_MS = 86_400_000

/** ISO 8601 UTC of a time (ms since the epoch); empty when absent. */
export function isoDate(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString()
}

/** "850 ms", "4.2 s". */
export function durationText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** "in 12 days", "41 days ago", "today". */
export function relative(time: number, at: number): string {
  const days = Math.floor(Math.abs(time - at) / DAY_MS)
  if (days === 0) return 'today'
  const span = `${days} day${days === 1 ? '' : 's'}`
  return time > at ? `in ${span}` : `${span} ago`
}

/** `months` calendar months after `ms` (UTC; the 31st becomes the month's last day). */
export function addMonths(ms: number, months: number): number {
  const date = new Date(ms)
  const day = date.getUTCDate()
  date.setUTCDate(1)
  date.setUTCMonth(date.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
  date.setUTCDate(Math.min(day, lastDay))
  return date.getTime()
}
