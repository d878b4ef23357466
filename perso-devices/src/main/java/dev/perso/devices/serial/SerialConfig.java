package dev.perso.devices.serial;

import dev.perso.core.ValidationException;
import java.time.Duration;

/**
 * Serial line settings for a {@link SerialLink}. The default is the ISO/IEC 7816-3 character frame at
 * the initial 9600 bit/s: 8 data bits, even parity, 2 stop bits (the guard time), as contact
 * stations wired to a UART use it.
 *
 * <pre>{@code
 * SerialConfig cfg = SerialConfig.builder().baud(115_200).parity(SerialConfig.Parity.NONE)
 *     .stopBits(SerialConfig.StopBits.ONE).build();
 * }</pre>
 *
 * @param baud bits per second
 * @param dataBits 5..8
 * @param parity parity
 * @param stopBits stop bits
 * @param writeTimeout how long a write may block
 */
public record SerialConfig(int baud, int dataBits, Parity parity, StopBits stopBits, Duration writeTimeout) {

  /** Parity bit. */
  public enum Parity {
    /** No parity bit. */
    NONE,
    /** Even parity (ISO/IEC 7816-3). */
    EVEN,
    /** Odd parity. */
    ODD
  }

  /** Stop bits. */
  public enum StopBits {
    /** One stop bit. */
    ONE,
    /** One and a half stop bits. */
    ONE_POINT_FIVE,
    /** Two stop bits. */
    TWO
  }

  /** Validates the values. */
  public SerialConfig {
    if (baud < 50 || baud > 4_000_000) {
      throw new ValidationException("baud", "must be 50..4000000, was " + baud);
    }
    if (dataBits < 5 || dataBits > 8) {
      throw new ValidationException("dataBits", "must be 5..8, was " + dataBits);
    }
    if (parity == null) {
      throw new ValidationException("parity", "must not be null");
    }
    if (stopBits == null) {
      throw new ValidationException("stopBits", "must not be null");
    }
    if (writeTimeout == null || writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new ValidationException("writeTimeout", "must be positive");
    }
  }

  /** @return 9600 8E2, write timeout 1 s */
  public static SerialConfig iso7816() {
    return builder().build();
  }

  /** @return a builder starting from {@link #iso7816()} */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder pre-filled with this configuration */
  public Builder newBuilder() {
    return new Builder().baud(baud).dataBits(dataBits).parity(parity).stopBits(stopBits).writeTimeout(writeTimeout);
  }

  /** Builds a {@link SerialConfig}. */
  public static final class Builder {
    private int baud = 9600;
    private int dataBits = 8;
    private Parity parity = Parity.EVEN;
    private StopBits stopBits = StopBits.TWO;
    private Duration writeTimeout = Duration.ofSeconds(1);

    private Builder() {}

    /** @param v bits per second @return this builder */
    public Builder baud(int v) {
      this.baud = v;
      return this;
    }

    /** @param v data bits 5..8 @return this builder */
    public Builder dataBits(int v) {
      this.dataBits = v;
      return this;
    }

    /** @param v parity @return this builder */
    public Builder parity(Parity v) {
      this.parity = v;
      return this;
    }

    /** @param v stop bits @return this builder */
    public Builder stopBits(StopBits v) {
      this.stopBits = v;
      return this;
    }

    /** @param v write timeout @return this builder */
    public Builder writeTimeout(Duration v) {
      this.writeTimeout = v;
      return this;
    }

    /** @return the configuration */
    public SerialConfig build() {
      return new SerialConfig(baud, dataBits, parity, stopBits, writeTimeout);
    }
  }
}
