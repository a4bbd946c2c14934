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

type Sodium = (typeof import('libsodium-wrappers'))['default']
let sodium: Promise<Sodium> | undefined

/**
 * Loads libsodium (27-40 ms to import, 11 ms to get ready), once. Operations that store a secret
 * start it with their first requests (`prepareDelivery`), so that it is ready by the first seal
 * instead of adding to the critical path; operations that store none never pay for it.
 */
export function loadSodium(): Promise<Sodium> {
  sodium ??= import('libsodium-wrappers').then(async ({ default: s }) => {
    await s.ready
    return s
  })
  return sodium
}

/**
 * Seals `value` with a libsodium sealed box for the destination's public key, base64 in the
 * ORIGINAL variant as GitHub expects.
 */
export async function sealForGitHub(value: string, publicKey: PublicKey): Promise<SealedSecret> {
  const s = await loadSodium()
  const key = s.from_base64(publicKey.key, s.base64_variants.ORIGINAL)
  const sealed = s.crypto_box_seal(s.from_string(value), key)
  return {
    encryptedValue: s.to_base64(sealed, s.base64_variants.ORIGINAL),
    keyId: publicKey.key_id
  }
}
