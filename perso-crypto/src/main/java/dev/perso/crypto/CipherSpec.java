package dev.perso.crypto;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * A cipher mode with its IV (empty for ECB; for CBC empty means a zero IV of the block size).
 *
 * <pre>{@code
 * CipherSpec.ecb();
 * CipherSpec.cbc(Bytes.fromHex("0000000000000000"));
 * CipherSpec.cbcZeroIv();
 * }</pre>
 *
 * @param mode ECB or CBC
 * @param iv the IV for CBC (block size, or empty for zeros); empty for ECB
 */
public record CipherSpec(CipherMode mode, Bytes iv) {
  /** Checks the components. */
  public CipherSpec {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(iv, "iv");
    if (mode == CipherMode.ECB && !iv.isEmpty()) {
      throw new ValidationException("iv", "ECB takes no IV");
    }
    if (!iv.isEmpty() && iv.length() != 8 && iv.length() != 16) {
      throw new ValidationException("iv", "must be 8 or 16 bytes (the block size), was " + iv.length());
    }
  }

  /** @return ECB */
  public static CipherSpec ecb() {
    return new CipherSpec(CipherMode.ECB, Bytes.empty());
  }

  /**
   * @param iv the IV, one block
   * @return CBC with that IV
   */
  public static CipherSpec cbc(Bytes iv) {
    return new CipherSpec(CipherMode.CBC, iv);
  }

  /** @return CBC with an all-zero IV */
  public static CipherSpec cbcZeroIv() {
    return new CipherSpec(CipherMode.CBC, Bytes.empty());
  }
}
