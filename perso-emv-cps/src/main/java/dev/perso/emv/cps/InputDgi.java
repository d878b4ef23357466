package dev.perso.emv.cps;

import dev.perso.core.ValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A DGI as data preparation hands it over: in clear, or encrypted under a transport KEK named by a
 * key reference (the personalization device re-encrypts it under the card's DEK without clear data
 * leaving the crypto device).
 *
 * <pre>{@code
 * InputDgi record = InputDgi.clear(Dgi.of(0x0101, recordTemplate));
 * InputDgi keys = InputDgi.underKek(Dgi.of(0x8000, keysUnderKek), "transport-kek");
 * }</pre>
 */
public final class InputDgi {
  private final Dgi dgi;
  private final String transportKey;

  private InputDgi(Dgi dgi, String transportKey) {
    this.dgi = Objects.requireNonNull(dgi, "dgi");
    if (transportKey != null && transportKey.isBlank()) {
      throw new ValidationException("dgi " + dgi.idHex() + " transport key", "must name a key, was blank");
    }
    this.transportKey = transportKey;
  }

  /**
   * @param dgi a DGI in clear
   * @return the input
   */
  public static InputDgi clear(Dgi dgi) {
    return new InputDgi(dgi, null);
  }

  /**
   * @param dgi a DGI whose value is encrypted (TDES-ECB) under the named transport key
   * @param transportKey the key's name in the job's key set
   * @return the input
   */
  public static InputDgi underKek(Dgi dgi, String transportKey) {
    return new InputDgi(dgi, Objects.requireNonNull(transportKey, "transportKey"));
  }

  /** @return the DGI as delivered */
  public Dgi dgi() {
    return dgi;
  }

  /** @return the transport key's name when the value is encrypted */
  public Optional<String> transportKey() {
    return Optional.ofNullable(transportKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputDgi && ((InputDgi) o).dgi.equals(dgi)
        && Objects.equals(((InputDgi) o).transportKey, transportKey);
  }

  @Override
  public int hashCode() {
    return dgi.hashCode() * 31 + Objects.hashCode(transportKey);
  }

  /** @return e.g. {@code DGI 8000 (48 bytes) under transport-kek}; never the value */
  @Override
  public String toString() {
    return dgi + (transportKey == null ? "" : " under " + transportKey);
  }
}
