/** A destination's public key, as GitHub answers it. */
export interface PublicKey {
  key_id: string
  key: string
}

/** A value sealed for one destination: only GitHub, holding the private key, can open it. */
export interface SealedSecret {
  encryptedValue: string
  keyId: string
}

/**
 * Seals `value` with a libsodium sealed box for the destination's public key, base64 in the
 * ORIGINAL variant as GitHub expects. libsodium is loaded on first use only: operations that
 * store no secret never pay for it.
 */
export async function sealForGitHub(value: string, publicKey: PublicKey): Promise<SealedSecret> {
  const { default: sodium } = await import('libsodium-wrappers')
  await sodium.ready
  const key = sodium.from_base64(publicKey.key, sodium.base64_variants.ORIGINAL)
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key)
  return {
    encryptedValue: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
    keyId: publicKey.key_id
  }
}
