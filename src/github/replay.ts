import type { OrganizationSecretAccess, SecretDestination } from './destination.js'
import { destinationLabel, secretsPath, secretWriteBody } from './destination.js'
import type { SealedSecret } from './seal.js'

/**
 * The replay block: for each destination, the new secret sealed for its public key (only
 * GitHub can open it) and the one command that stores it. Invariant: it is printed as soon as
 * a new secret exists, before the first write, so that no crash, cancellation or lost answer
 * can leave the only copy of the secret in a dead process.
 */
export interface ReplayEntry {
  destination: SecretDestination
  sealed: SealedSecret
  /** Organization secrets: who may read it, as the real write sets it. */
  access?: OrganizationSecretAccess
}

export function replayBlock(baseUrl: string, secretName: string, entries: ReplayEntry[]): string {
  const lines = [
    `Sealed copies of the new secret, one per destination (safe to show: only GitHub can open them).` +
      ` If this run does not confirm a destination, its recovery says which to replay; each command is one line` +
      ` (WRITER_TOKEN: a token that can write the secret, as github-token; never the workflow's GITHUB_TOKEN):`
  ]
  for (const { destination, sealed, access } of entries) {
    const body = JSON.stringify(secretWriteBody(sealed, access))
    lines.push(
      `Replay for ${destinationLabel(destination)} (sealed for its public key ${sealed.keyId}):`,
      `  curl -fsS -X PUT -H "Authorization: Bearer $WRITER_TOKEN" -H "Accept: application/vnd.github+json" ` +
        `${shellQuote(`${baseUrl}${secretsPath(destination)}/${secretName}`)} -d ${shellQuote(body)}`
    )
  }
  return lines.join('\n')
}

/** `text` as one shell word, whatever it holds: single-quoted, each `'` closed, escaped, reopened. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}
