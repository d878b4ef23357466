package dev.perso.emv.cps;

import java.util.Objects;

/**
 * A DGI ready to be sent: its value is final (already encrypted under the card's DEK when
 * {@code encrypted} is true).
 *
 * <pre>{@code
 * PreparedDgi keys = new PreparedDgi(Dgi.of(0x8000, encryptedKeys), true);
 * }</pre>
 *
 * @param dgi the DGI as it goes into STORE DATA
 * @param encrypted whether its value is encrypted (sets P1 b7-b6 of its command)
 */
public record PreparedDgi(Dgi dgi, boolean encrypted) {
  /** Rejects null. */
  public PreparedDgi {
    Objects.requireNonNull(dgi, "dgi");
  }
}
