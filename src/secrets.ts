import * as core from '@actions/core'

const known = new Set<string>()

/**
 * Masks a secret in the log the moment it exists, and remembers it so that text the action did
 * not write itself (a server's error message, say) can be redacted before it is reported.
 */
export function protectSecret(value: string): void {
  if (!value) return
  core.setSecret(value)
  known.add(value)
}

/** The text with every protected secret replaced by `***`. */
export function redact(text: string): string {
  let redacted = text
  for (const secret of known) redacted = redacted.split(secret).join('***')
  return redacted
}
