package dev.perso.devices.msr;

import dev.perso.core.ValidationException;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link Msr605Encoder} talks to its device: its id, the named time limits, the erase select-byte
 * reading and the coercivity it writes with. Every wait is bounded: a silent or unplugged device gives a
 * typed fault, never a hang.
 *
 * <ul>
 *   <li>{@code commandTimeout} (1 s): the first byte of the answer to a command that needs no card;</li>
 *   <li>{@code swipeTimeout} (30 s): the first byte of the answer to a read, write or erase, which waits for
 *       the card to be swiped; when it passes the device is reset and tested: NO_CARD if it answers, TIMEOUT
 *       if it is silent;</li>
 *   <li>{@code byteTimeout} (500 ms): each further byte of an answer once it started;</li>
 *   <li>{@code resetPause} (100 ms): the pause after a reset, which the device does not answer.</li>
 * </ul>
 *
 * <pre>{@code
 * MsrOptions o = MsrOptions.builder().id("msr605:/dev/ttyUSB0").swipeTimeout(Duration.ofSeconds(10))
 *     .eraseSelect(EraseSelect.MANUAL).coercivity(CoercivityMode.HI_CO).build();
 * }</pre>
 *
 * @param id the device id used in faults
 * @param commandTimeout wait for a command's answer
 * @param swipeTimeout wait for a card swipe
 * @param byteTimeout wait for each further byte
 * @param resetPause pause after a reset
 * @param eraseSelect reading of the erase select byte
 * @param coercivity the write coercivity set when the encoder opens, or null to leave the device's
 */
public record MsrOptions(String id, Duration commandTimeout, Duration swipeTimeout, Duration byteTimeout,
    Duration resetPause, EraseSelect eraseSelect, CoercivityMode coercivity) {

  /** Checks the values. */
  public MsrOptions {
    if (id == null || id.isBlank()) {
      throw new ValidationException("id", "must name the device");
    }
    positive("commandTimeout", commandTimeout);
    positive("swipeTimeout", swipeTimeout);
    positive("byteTimeout", byteTimeout);
    Objects.requireNonNull(resetPause, "resetPause");
    if (resetPause.isNegative()) {
      throw new ValidationException("resetPause", "must not be negative");
    }
    Objects.requireNonNull(eraseSelect, "eraseSelect");
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new ValidationException(name, "must be positive");
    }
  }

  /** @return the defaults, with id {@code msr605} */
  public static MsrOptions defaults() {
    return builder().build();
  }

  /** @return a builder with the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder with these values */
  public Builder newBuilder() {
    return new Builder().id(id).commandTimeout(commandTimeout).swipeTimeout(swipeTimeout).byteTimeout(byteTimeout)
        .resetPause(resetPause).eraseSelect(eraseSelect).coercivity(coercivity);
  }

  /** Builds {@link MsrOptions}. */
  public static final class Builder {
    private String id = "msr605";
    private Duration commandTimeout = Duration.ofSeconds(1);
    private Duration swipeTimeout = Duration.ofSeconds(30);
    private Duration byteTimeout = Duration.ofMillis(500);
    private Duration resetPause = Duration.ofMillis(100);
    private EraseSelect eraseSelect = EraseSelect.MANUAL;
    private CoercivityMode coercivity;

    private Builder() {}

    /** @param v the device id @return this */
    public Builder id(String v) {
      this.id = v;
      return this;
    }

    /** @param v wait for a command's answer @return this */
    public Builder commandTimeout(Duration v) {
      this.commandTimeout = v;
      return this;
    }

    /** @param v wait for a card swipe @return this */
    public Builder swipeTimeout(Duration v) {
      this.swipeTimeout = v;
      return this;
    }

    /** @param v wait for each further byte of an answer @return this */
    public Builder byteTimeout(Duration v) {
      this.byteTimeout = v;
      return this;
    }

    /** @param v pause after a reset @return this */
    public Builder resetPause(Duration v) {
      this.resetPause = v;
      return this;
    }

    /** @param v reading of the erase select byte @return this */
    public Builder eraseSelect(EraseSelect v) {
      this.eraseSelect = v;
      return this;
    }

    /** @param v coercivity to set when opening, or null to leave the device's @return this */
    public Builder coercivity(CoercivityMode v) {
      this.coercivity = v;
      return this;
    }

    /** @return the options */
    public MsrOptions build() {
      return new MsrOptions(id, commandTimeout, swipeTimeout, byteTimeout, resetPause, eraseSelect, coercivity);
    }
  }
}
