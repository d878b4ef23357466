package dev.perso.emv.cps;

import dev.perso.core.ValidationException;
import dev.perso.crypto.PinBlock;
import java.util.Objects;
import java.util.Optional;

/**
 * A DGI as data preparation hands it over: in clear, encrypted under a transport KEK named by a key
 * reference (the personalization device re-encrypts it under the card's DEK without clear data
 * leaving the crypto device), or a PIN block under the KEK in a transport format (ISO 9564-1 format 1,
 * random fill, so equal PINs give different cryptograms) that the personalization device translates
 * to the card's ISO format 2 block under the DEK.
 *
 * <pre>{@code
 * InputDgi record = InputDgi.clear(Dgi.of(0x0101, recordTemplate));
 * InputDgi keys = InputDgi.underKek(Dgi.of(0x8000, keysUnderKek), "transport-kek");
 * InputDgi pin = InputDgi.pinBlockUnderKek(Dgi.of(0x8010, iso1UnderKek), PinBlock.Format.ISO_1, "transport-kek");
 * }</pre>
 */
public final class InputDgi {
  private final Dgi dgi;
  private final String transportKey;
  private final PinBlock.Format pinBlockFormat;

  private InputDgi(Dgi dgi, String transportKey, PinBlock.Format pinBlockFormat) {
    this.dgi = Objects.requireNonNull(dgi, "dgi");
    if (transportKey != null && transportKey.isBlank()) {
      throw new ValidationException("dgi " + dgi.idHex() + " transport key", "must name a key, was blank");
    }
    if (pinBlockFormat != null && pinBlockFormat.usesPan()) {
      throw new ValidationException("dgi " + dgi.idHex() + " pin block format", pinBlockFormat
          + " needs the PAN at personalization; send ISO_1 (random fill) under the transport key");
    }
    this.transportKey = transportKey;
    this.pinBlockFormat = pinBlockFormat;
  }

  /**
   * @param dgi a DGI in clear
   * @return the input
   */
  public static InputDgi clear(Dgi dgi) {
    return new InputDgi(dgi, null, null);
  }

  /**
   * @param dgi a DGI whose value is encrypted (TDES-ECB) under the named transport key
   * @param transportKey the key's name in the job's key set
   * @return the input
   */
  public static InputDgi underKek(Dgi dgi, String transportKey) {
    return new InputDgi(dgi, Objects.requireNonNull(transportKey, "transportKey"), null);
  }

  /**
   * @param dgi a DGI whose value is one PIN block (8 bytes, or 16 with method 2 padding under an AES
   *     key) encrypted (ECB) under the named transport key
   * @param format the block's ISO 9564-1 format; {@code ISO_1} is what the reference data preparation
   *     sends (format 0 is refused: the personalization device has no PAN)
   * @param transportKey the key's name in the job's key set
   * @return the input
   */
  public static InputDgi pinBlockUnderKek(Dgi dgi, PinBlock.Format format, String transportKey) {
    return new InputDgi(dgi, Objects.requireNonNull(transportKey, "transportKey"), Objects.requireNonNull(format, "format"));
  }

  /** @return the DGI as delivered */
  public Dgi dgi() {
    return dgi;
  }

  /** @return the transport key's name when the value is encrypted */
  public Optional<String> transportKey() {
    return Optional.ofNullable(transportKey);
  }

  /** @return the PIN block format when the value is a PIN block under the transport key */
  public Optional<PinBlock.Format> pinBlockFormat() {
    return Optional.ofNullable(pinBlockFormat);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputDgi && ((InputDgi) o).dgi.equals(dgi)
        && Objects.equals(((InputDgi) o).transportKey, transportKey) && ((InputDgi) o).pinBlockFormat == pinBlockFormat;
  }

  @Override
  public int hashCode() {
    return (dgi.hashCode() * 31 + Objects.hashCode(transportKey)) * 31 + Objects.hashCode(pinBlockFormat);
  }

  /** @return e.g. {@code DGI 8000 (48 bytes) under transport-kek}; never the value */
  @Override
  public String toString() {
    return dgi + (pinBlockFormat == null ? "" : " PIN block " + pinBlockFormat)
        + (transportKey == null ? "" : " under " + transportKey);
  }
}
