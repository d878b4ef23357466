package dev.perso.devices.memory;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.SecretBytes;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The memory-card step of a card type: claims the record's {@link MemorySection memory} section, needs a
 * {@link DeviceRole#CHIP_STATION chip station} whose reader speaks the configured {@link MemoryCardDialect},
 * and personalizes the card through {@link MemoryCard} (so every safety rule holds): presents the transport
 * code (never below the try floor, never twice), writes the card type's constants and the record's data
 * (refused on protected bytes, read back), protects the configured ranges (verified by reading the protection
 * bits), changes the code to the record's per-card code (confirmed by presenting it), and finally reads the
 * whole image back once more.
 *
 * <p>The card counts as written before the transport code is presented: a wrong code spends a try, so a
 * failing card is rejected, never retried at another station. A transport failure before that (no card,
 * the reader not answering the card-type selection) is the station's {@link DeviceFault#CHIP_CONTACT_ERROR}.
 * A read-back that differs is {@link DeviceFault#READ_BACK_MISMATCH}. Codes never reach a message or a log.
 *
 * <pre>{@code
 * MemoryCardStep step = MemoryCardStep.builder(MemoryChip.SLE4442)
 *     .transportCode(Bytes.fromHex("FFFFFF"))
 *     .constants(MemoryImage.builder().put(32, "PERSO LOYALTY").build())
 *     .protect(32, 16)
 *     .changeCode(true)                  // to the record's memory.code
 *     .build();
 * CardType loyalty = CardType.builder("loyalty").step(step).build();
 * }</pre>
 */
public final class MemoryCardStep implements PersoStep {
  /** The step type and default name. */
  public static final String TYPE = "memory-card";

  /**
   * A range to protect.
   *
   * @param address first byte
   * @param length how many bytes
   */
  public record Range(int address, int length) {}

  private final String name;
  private final MemoryChip chip;
  private final MemoryCardDialect dialect;
  private final int tryFloor;
  private final byte[] transportCode;
  private final MemoryImage constants;
  private final List<Range> protect;
  private final boolean changeCode;

  private MemoryCardStep(Builder b) {
    this.name = b.name;
    this.chip = b.chip;
    this.dialect = b.dialect;
    this.tryFloor = b.tryFloor;
    this.transportCode = b.transportCode;
    this.constants = b.constants;
    this.protect = List.copyOf(b.protect);
    this.changeCode = b.changeCode;
  }

  /**
   * @param chip the chip the card type's cards carry
   * @return a builder: ACS dialect, try floor 2, no constants, nothing protected, code unchanged
   */
  public static Builder builder(MemoryChip chip) {
    return new Builder(chip);
  }

  /** @return the chip */
  public MemoryChip chip() {
    return chip;
  }

  /** @return the card type's constant bytes */
  public MemoryImage constants() {
    return constants;
  }

  /** @return the ranges protected on every card */
  public List<Range> protectedRanges() {
    return protect;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<DeviceRole<?>> roles() {
    return Set.of(DeviceRole.CHIP_STATION);
  }

  @Override
  public Set<String> sections() {
    return Set.of(MemorySection.NAME);
  }

  /**
   * The whole image a record puts on the card: the constants and the record's data.
   *
   * @param record the record
   * @return the image
   * @throws ValidationException naming {@code <location> memory...}
   */
  public MemoryImage image(CardRecord record) {
    MemorySection s = MemorySection.decode(record, chip);
    try {
      return constants.plus(s.data());
    } catch (ValidationException e) {
      throw new ValidationException(record.where() + " " + MemorySection.NAME + ".data " + e.field(),
          e.rule() + " (a constant of step " + name + ")");
    }
  }

  @Override
  public void validate(CardRecord record) {
    image(record);
    boolean hasCode = MemorySection.decode(record, chip).code().map(c -> {
      c.close();
      return true;
    }).orElse(false);
    if (changeCode && !hasCode) {
      throw new ValidationException(record.where() + " " + MemorySection.NAME + ".code", "is required: step " + name
          + " changes the transport code to the card's own");
    }
    if (!changeCode && hasCode) {
      throw new ValidationException(record.where() + " " + MemorySection.NAME + ".code", "step " + name
          + " does not change the code; remove it from the record");
    }
  }

  @Override
  public void run(StepContext ctx) {
    CardRecord record = ctx.record();
    MemoryImage image = image(record);
    ChipStation station = ctx.device(DeviceRole.CHIP_STATION);
    try (ChipSession session = station.power(ctx.card())) {
      MemoryCard card;
      try {
        card = MemoryCard.builder(session.channel(), chip).dialect(dialect).tryFloor(tryFloor).build();
      } catch (TransportException e) {
        throw new DeviceException(station.id(), DeviceFault.CHIP_CONTACT_ERROR, "no answer to the card-type "
            + "selection: " + e.getMessage(), e);
      }
      ctx.markWritten();
      try {
        personalize(ctx, record, card, image);
      } catch (MemoryCardException e) {
        if (e.reason() == MemoryCardException.Reason.READ_BACK_MISMATCH) {
          throw new DeviceException(station.id(), DeviceFault.READ_BACK_MISMATCH, e.getMessage(), e);
        }
        throw e;
      }
    }
  }

  private void personalize(StepContext ctx, CardRecord record, MemoryCard card, MemoryImage image) {
    if (chip.hasCode()) {
      try (SecretBytes code = SecretBytes.copyOf(transportCode)) {
        card.presentCode(code);
      }
    }
    for (MemoryImage.Segment s : image.segments()) {
      ctx.checkCancelled();
      card.write(s.address(), s.data());
    }
    for (Range r : protect) {
      card.protect(r.address(), r.length());
    }
    if (changeCode) {
      try (SecretBytes code = MemorySection.decode(record, chip).code().orElseThrow()) {
        card.changeCode(code);
      }
    }
    for (MemoryImage.Segment s : image.segments()) {
      Bytes back = card.read(s.address(), s.data().length());
      if (!back.equals(s.data())) {
        throw new MemoryCardException(MemoryCardException.Reason.READ_BACK_MISMATCH, -1, chip.id() + ": bytes "
            + s.address() + ".." + (s.end() - 1) + " read back different at the end");
      }
    }
    for (Range r : protect) {
      if (card.protection(r.address(), r.length()).cardinality() != r.length()) {
        throw new MemoryCardException(MemoryCardException.Reason.READ_BACK_MISMATCH, -1, chip.id() + ": bytes "
            + r.address() + ".." + (r.address() + r.length() - 1) + " are not all protected at the end");
      }
    }
  }

  /** A blank card of this step's chip under its transport code, for virtual chip stations. */
  @Override
  public Optional<Function<CardTag, VirtualCard>> virtualCardStock() {
    return Optional.of(tag -> {
      VirtualMemoryCard.Builder b = VirtualMemoryCard.builder(chip);
      if (chip.hasCode()) {
        b.code(Bytes.of(transportCode));
      }
      return b.build();
    });
  }

  /** @return the chip, dialect, constants' ranges and protection; never a code */
  @Override
  public String toString() {
    return "MemoryCardStep[" + name + ", " + chip.id() + ", " + dialect.name() + ", constants " + constants
        + ", protect " + protect.stream().map(r -> r.address() + "+" + r.length()).toList()
        + (changeCode ? ", per-card code" : "") + "]";
  }

  /** Configures a {@link MemoryCardStep}. */
  public static final class Builder {
    private final MemoryChip chip;
    private String name = TYPE;
    private MemoryCardDialect dialect = MemoryCardDialect.acs();
    private int tryFloor = 2;
    private byte[] transportCode;
    private MemoryImage constants = MemoryImage.empty();
    private final List<Range> protect = new ArrayList<>();
    private boolean changeCode;

    private Builder(MemoryChip chip) {
      this.chip = Objects.requireNonNull(chip, "chip");
    }

    /**
     * @param value the step's name (default {@code memory-card})
     * @return this
     */
    public Builder name(String value) {
      if (value == null || value.isBlank()) {
        throw new ValidationException("name", "a step needs a name");
      }
      this.name = value;
      return this;
    }

    /**
     * @param value the readers' dialect (default ACS)
     * @return this
     */
    public Builder dialect(MemoryCardDialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect");
      return this;
    }

    /**
     * @param value the fewest tries with which the transport code is still presented (default 2)
     * @return this
     */
    public Builder tryFloor(int value) {
      if (value < 1 || (chip.hasCode() && value > chip.maxTries())) {
        throw new ValidationException("tryFloor", "must be 1.." + Math.max(1, chip.maxTries()) + " for " + chip.id()
            + ", was " + value);
      }
      this.tryFloor = value;
      return this;
    }

    /**
     * @param value the code the blank cards carry ({@link MemoryChip#codeLength()} bytes)
     * @return this
     */
    public Builder transportCode(Bytes value) {
      if (!chip.hasCode()) {
        throw new ValidationException("transportCode", chip.id() + " has no code");
      }
      if (value.length() != chip.codeLength()) {
        throw new ValidationException("transportCode", "must be " + chip.codeLength() + " bytes for " + chip.id()
            + ", was " + value.length());
      }
      this.transportCode = value.toByteArray();
      return this;
    }

    /**
     * @param value bytes every card gets
     * @return this
     */
    public Builder constants(MemoryImage value) {
      value.check(chip);
      this.constants = value;
      return this;
    }

    /**
     * Protects a range on every card, for good: an explicit step of the card type.
     *
     * @param address first byte
     * @param length how many bytes
     * @return this
     */
    public Builder protect(int address, int length) {
      if (length < 1 || !chip.protectable(address) || !chip.protectable(address + length - 1)
          || address + length > chip.dataSize()) {
        throw new ValidationException("protect", "bytes " + address + ".." + (address + length - 1) + " cannot be "
            + "protected on " + chip.id() + (chip.family() == MemoryChip.Family.SLE44X2 ? " (only 0..31)"
            : chip.family() == MemoryChip.Family.I2C ? " (no protection bits)" : ""));
      }
      protect.add(new Range(address, length));
      return this;
    }

    /**
     * @param value true to change the transport code to each record's {@code memory.code}
     * @return this
     */
    public Builder changeCode(boolean value) {
      if (value && !chip.hasCode()) {
        throw new ValidationException("changeCode", chip.id() + " has no code");
      }
      this.changeCode = value;
      return this;
    }

    /**
     * @return the step
     * @throws ValidationException if a chip with a code has no transport code
     */
    public MemoryCardStep build() {
      if (chip.hasCode() && transportCode == null) {
        throw new ValidationException("transportCode", "is required for " + chip.id());
      }
      return new MemoryCardStep(this);
    }
  }
}
