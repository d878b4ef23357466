package dev.perso.gp;

import dev.perso.core.PersoException;

/**
 * A key rotation (PUT KEY or key-loading STORE DATA) or a step after it failed; says which key set the
 * card now holds, by key version only, never by value.
 *
 * <pre>{@code
 * catch (KeyRotationException e) {
 *   journal.note(card, "card holds " + e.holding() + " KVN " + e.cardKeyVersion());
 * }
 * }</pre>
 */
public class KeyRotationException extends PersoException {
  private static final long serialVersionUID = 1L;

  /** Which keys the card holds after the failure. */
  public enum Holding {
    /** The card refused the new keys: it still has the old ones. */
    OLD_KEYS,
    /** The card took the new keys. */
    NEW_KEYS,
    /** The answer was lost: the card holds the old or the new key set; open a channel with each to know. */
    UNKNOWN
  }

  private final Holding holding;
  private final int cardKeyVersion;

  /**
   * @param message what failed
   * @param holding which keys the card holds
   * @param cardKeyVersion the key version the card holds (for {@link Holding#UNKNOWN}: the new one tried)
   * @param cause the failure, or null
   */
  public KeyRotationException(String message, Holding holding, int cardKeyVersion, Throwable cause) {
    super(message + " [card holds " + describe(holding, cardKeyVersion) + "]", cause);
    this.holding = holding;
    this.cardKeyVersion = cardKeyVersion;
  }

  private static String describe(Holding holding, int kvn) {
    switch (holding) {
      case OLD_KEYS: return String.format("its old key set, KVN %02X", kvn);
      case NEW_KEYS: return String.format("the new key set, KVN %02X", kvn);
      default: return String.format("either its old key set or the new one (KVN %02X): unknown", kvn);
    }
  }

  /** @return which keys the card holds */
  public Holding holding() {
    return holding;
  }

  /** @return the key version number of {@link #holding()} */
  public int cardKeyVersion() {
    return cardKeyVersion;
  }
}
