package dev.perso.crypto;

import java.util.Optional;

/**
 * A reference to a key; the API never hands out master key bytes. Three kinds:
 * <ul>
 *   <li>{@link TokenKeyRef}: an object on a PKCS#11 token, found by label;</li>
 *   <li>{@link CryptogramKeyRef}: a key encrypted under a crypto device's master key (payment HSM
 *       "key under LMK", TR-31 block);</li>
 *   <li>{@link ClearKeyRef}: clear key bytes for tests and software use, masked in {@code toString}.</li>
 * </ul>
 *
 * <pre>{@code
 * KeyRef imk = TokenKeyRef.of("IMK-AC", KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC);
 * KeyRef icc = backend.derive(imk, Derivation.emvOptionA("5413330089020011", "00"));
 * }</pre>
 */
public sealed interface KeyRef permits TokenKeyRef, CryptogramKeyRef, ClearKeyRef {
  /** @return cipher and key length */
  KeyAlgorithm algorithm();

  /** @return the key's role */
  KeyUsage usage();

  /** @return the check value recorded with the key, if known */
  Optional<Kcv> kcv();
}
