import type { SecretScope, SecretType, Visibility } from '../settings.js'
import type { SealedSecret } from './seal.js'

/** One place a GitHub secret is stored. */
export type SecretDestination = { type: SecretType } & (
  | { kind: 'repository'; repository: string }
  | { kind: 'environment'; repository: string; environment: string }
  | { kind: 'organization'; organization: string }
)

/** Who may read an organization secret; kept as it is unless the input says otherwise. */
export interface OrganizationSecretAccess {
  visibility: Visibility
  /** `selected` only: the repositories' numeric IDs. */
  selectedRepositoryIds?: number[]
}

const TYPE_LABEL: Record<SecretType, string> = {
  actions: '',
  dependabot: 'Dependabot ',
  codespaces: 'Codespaces '
}

/** Every destination the scope names. */
export function destinationsOf(scope: SecretScope, type: SecretType): SecretDestination[] {
  switch (scope.kind) {
    case 'repository':
      return scope.repositories.map((repository) => ({ type, kind: 'repository', repository }))
    case 'environment':
      return scope.repositories.map((repository) => ({
        type,
        kind: 'environment',
        repository,
        environment: scope.environment
      }))
    case 'organization':
      return [{ type, kind: 'organization', organization: scope.organization }]
  }
}

/** How a destination is named in the log and the summary, e.g. `repository octo/app`. */
export function destinationLabel(destination: SecretDestination): string {
  const type = TYPE_LABEL[destination.type]
  switch (destination.kind) {
    case 'repository':
      return `${type}repository ${destination.repository}`
    case 'environment':
      return `environment "${destination.environment}" of ${destination.repository}`
    case 'organization':
      return `${type}organization ${destination.organization}`
  }
}

/** The REST path of the destination's secrets collection (environment name URL-encoded). */
export function secretsPath(destination: SecretDestination): string {
  switch (destination.kind) {
    case 'repository':
      return `/repos/${destination.repository}/${destination.type}/secrets`
    case 'environment':
      return `/repos/${destination.repository}/environments/${encodeURIComponent(destination.environment)}/secrets`
    case 'organization':
      return `/orgs/${destination.organization}/${destination.type}/secrets`
  }
}

/** The body of a secret write; the same body the replay command sends. */
export function secretWriteBody(
  sealed: SealedSecret,
  access?: OrganizationSecretAccess
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    encrypted_value: sealed.encryptedValue,
    key_id: sealed.keyId
  }
  if (access) {
    body.visibility = access.visibility
    if (access.visibility === 'selected') {
      body.selected_repository_ids = access.selectedRepositoryIds ?? []
    }
  }
  return body
}
