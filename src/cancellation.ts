/**
 * Runs `report` and ends the process when the runner cancels the job (SIGINT, then SIGTERM),
 * until the returned function is called. For the window in which a new secret may not be
 * stored everywhere yet: the run must never end without saying what holds it.
 */
export function onCancellation(report: (signal: string) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    report(signal)
    process.exit(1)
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}
