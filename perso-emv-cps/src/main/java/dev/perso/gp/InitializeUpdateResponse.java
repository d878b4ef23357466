package dev.perso.gp;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * The card's answer to INITIALIZE UPDATE, parsed (GP 2.2.1 Table E-8 for SCP02; Amendment D for SCP03):
 * <ul>
 *   <li>SCP02, 28 bytes: KDD(10) KVN(1) 02 sequence counter(2) card challenge(6) card cryptogram(8);</li>
 *   <li>SCP03, 29/32 (S8) or 45/48 (S16) bytes: KDD(10) KVN(1) 03 i(1) card challenge(8/16)
 *       card cryptogram(8/16) [sequence counter(3) when i b5 says the challenge is pseudo-random].</li>
 * </ul>
 *
 * <pre>{@code
 * InitializeUpdateResponse iu = InitializeUpdateResponse.parse(response.data());
 * iu.scp();   // 2
 * }</pre>
 *
 * @param kdd key diversification data, 10 bytes
 * @param keyVersion the key version number the card used
 * @param scp 2 or 3
 * @param i the SCP03 "i" byte; -1 for SCP02 (its card does not state "i")
 * @param sequenceCounter SCP02: 2 bytes; SCP03: 3 bytes, or empty for a random challenge
 * @param cardChallenge 6 (SCP02), 8 or 16 bytes
 * @param cardCryptogram 8 or 16 bytes
 */
public record InitializeUpdateResponse(Bytes kdd, int keyVersion, int scp, int i, Bytes sequenceCounter,
    Bytes cardChallenge, Bytes cardCryptogram) {

  /** Checks the components. */
  public InitializeUpdateResponse {
    Objects.requireNonNull(kdd, "kdd");
    Objects.requireNonNull(sequenceCounter, "sequenceCounter");
    Objects.requireNonNull(cardChallenge, "cardChallenge");
    Objects.requireNonNull(cardCryptogram, "cardCryptogram");
    if (kdd.length() != 10) {
      throw new ValidationException("kdd", "must be 10 bytes");
    }
    if (scp != 2 && scp != 3) {
      throw new ValidationException("scp", "must be 2 or 3");
    }
  }

  /**
   * Parses the response data; a trailing {@code 9000} is accepted and dropped.
   *
   * @param raw the response data, with or without its status word
   * @return the parsed response
   * @throws MalformedDataException for a length or SCP identifier this SDK does not know
   */
  public static InitializeUpdateResponse parse(Bytes raw) {
    Objects.requireNonNull(raw, "raw");
    int n = raw.length();
    if (isKnownLength(n - 2) && raw.getUnsigned(n - 2) == 0x90 && raw.getUnsigned(n - 1) == 0x00) {
      raw = raw.slice(0, n - 2);
      n -= 2;
    }
    if (n < 12) {
      throw new MalformedDataException(n, "INITIALIZE UPDATE response too short: " + n + " bytes, need 28 (SCP02) or 29..48 (SCP03)");
    }
    int scp = raw.getUnsigned(11);
    if (scp == 0x02) {
      if (n != 28) {
        throw new MalformedDataException(Math.min(n, 28), "SCP02 INITIALIZE UPDATE response must be 28 bytes, was " + n);
      }
      return new InitializeUpdateResponse(raw.slice(0, 10), raw.getUnsigned(10), 2, -1, raw.slice(12, 14),
          raw.slice(14, 20), raw.slice(20, 28));
    }
    if (scp == 0x03) {
      if (n < 13) {
        throw new MalformedDataException(n, "SCP03 INITIALIZE UPDATE response too short");
      }
      int i = raw.getUnsigned(12);
      int len = (i & 0x01) != 0 ? 16 : 8;
      boolean pseudo = (i & 0x10) != 0;
      int expected = 13 + 2 * len + (pseudo ? 3 : 0);
      if (n != expected) {
        throw new MalformedDataException(Math.min(n, expected), "SCP03 INITIALIZE UPDATE response with i="
            + String.format("%02X", i) + " must be " + expected + " bytes, was " + n);
      }
      return new InitializeUpdateResponse(raw.slice(0, 10), raw.getUnsigned(10), 3, i,
          pseudo ? raw.slice(13 + 2 * len, n) : Bytes.empty(), raw.slice(13, 13 + len), raw.slice(13 + len, 13 + 2 * len));
    }
    throw new MalformedDataException(11, "unknown secure channel protocol " + String.format("%02X", scp)
        + " in INITIALIZE UPDATE response (SCP01 is not supported)");
  }

  /** @return the response data as the card sends it, without status word: the inverse of {@link #parse} */
  public Bytes encode() {
    if (scp == 2) {
      return Bytes.concat(kdd, Bytes.ofUnsigned(keyVersion, 0x02), sequenceCounter, cardChallenge, cardCryptogram);
    }
    return Bytes.concat(kdd, Bytes.ofUnsigned(keyVersion, 0x03, i), cardChallenge, cardCryptogram, sequenceCounter);
  }

  private static boolean isKnownLength(int n) {
    return n == 28 || n == 29 || n == 32 || n == 45 || n == 48;
  }

  /**
   * The protocol the card answered with, as the type callers dispatch on: SCP03 with the "i" the card
   * states; SCP02 with {@code scp02Variant}, because an SCP02 card does not state its "i" (the host
   * configures it, or {@link CardCryptogram#version} tells 15 from 55 with the keys).
   *
   * <pre>{@code
   * ScpVersion v = iu.version(Scp02Variant.I_15);
   * KeyAlgorithm alg = v.aes() ? KeyAlgorithm.AES_128 : KeyAlgorithm.TDES_2KEY;
   * }</pre>
   *
   * @param scp02Variant the variant to assume for an SCP02 card
   * @return the protocol
   * @throws ValidationException for an SCP03 "i" this SDK does not implement
   */
  public ScpVersion version(Scp02Variant scp02Variant) {
    if (scp == 2) {
      return new ScpVersion.Scp02Protocol(Objects.requireNonNull(scp02Variant, "scp02Variant"));
    }
    return new ScpVersion.Scp03Protocol(i);
  }

  /** @return true for SCP03 S16 (i b1) */
  public boolean s16() {
    return scp == 3 && (i & 0x01) != 0;
  }

  /** @return true if the card challenge is pseudo-random (SCP03 i b5); SCP02 cannot tell */
  public boolean pseudoRandomChallenge() {
    return scp == 3 && (i & 0x10) != 0;
  }

  /** @return the SCP as two hex digits, "02" or "03" */
  public String scpHex() {
    return scp == 2 ? "02" : "03";
  }

  /** @return the "i" byte as two hex digits, or empty for SCP02 */
  public String iHex() {
    return i < 0 ? "" : String.format("%02X", i);
  }
}
