/** What happened at each destination of a new secret, and how it is told. */

/**
 * `planned`: a dry run's; `unclear`: no answer (or one that proves nothing) arrived, so the
 * write may have landed; `failed`: GitHub answered that it did not; `skipped`: not sent, the
 * run was cancelled first.
 */
export type DestinationStatus = 'planned' | 'created' | 'updated' | 'unclear' | 'failed' | 'skipped'

/** What happened at one destination of the new secret. */
export interface DestinationResult {
  /** e.g. `repository octo/app`. */
  label: string
  status: DestinationStatus
  /** Why it failed; never a secret. */
  error?: string
}

export const isStored = (write: DestinationResult): boolean =>
  write.status === 'created' || write.status === 'updated'

/** Which destinations hold the new secret, which may, and which do not. */
export function holdersReport(writes: DestinationResult[]): string {
  const labels = (keep: (w: DestinationResult) => boolean): string[] =>
    writes.filter(keep).map((w) => w.label)
  const stored = labels(isStored)
  const unclear = labels((w) => w.status === 'unclear')
  const failed = labels((w) => w.status === 'failed')
  const skipped = labels((w) => w.status === 'skipped')
  return [
    `Destinations holding the new secret: ${stored.length ? stored.join(', ') : 'none'}.`,
    ...(unclear.length
      ? [
          `Not confirmed (no answer arrived; the write may have landed, and replaying it is safe): ${unclear.join(', ')}.`
        ]
      : []),
    ...(failed.length ? [`Not written: ${failed.join(', ')}.`] : []),
    ...(skipped.length ? [`Not sent (the run was cancelled first): ${skipped.join(', ')}.`] : [])
  ].join(' ')
}
