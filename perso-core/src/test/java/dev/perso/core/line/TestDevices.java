package dev.perso.core.line;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.device.TransportSensors;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.PersoStep;
import dev.perso.core.testing.TestSteps;
import dev.perso.core.device.DeviceRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Small devices and steps for the engine's own tests (the full virtual devices live in perso-devices):
 * a transport that keeps cards by tag, a stripe encoder and a chip station that take time on the clock
 * and fail on cue.
 */
final class TestDevices {
  private TestDevices() {}

  static final class Transport implements CardTransport {
    final String id;
    final LineClock clock;
    final Map<Long, CardTag> inside = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<CardTag> output = Collections.synchronizedList(new ArrayList<>());
    final List<CardTag> rejectBin = Collections.synchronizedList(new ArrayList<>());
    volatile int hopperEmptyAtFeed = -1;
    volatile Duration refill = Duration.ofSeconds(30);
    private int feeds;
    private volatile java.time.Instant faultedUntil;

    Transport(String id, LineClock clock) {
      this.id = id;
      this.clock = clock;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public DeviceStatus status() {
      java.time.Instant until = faultedUntil;
      return until != null && clock.now().isBefore(until)
          ? DeviceStatus.faulted(DeviceFault.HOPPER_EMPTY, "refill") : DeviceStatus.ready();
    }

    @Override
    public void feed(CardTag card) {
      synchronized (this) {
        if (!status().isReady()) {
          throw new DeviceException(id, DeviceFault.HOPPER_EMPTY, "refill pending");
        }
        feeds++;
        if (feeds == hopperEmptyAtFeed) {
          faultedUntil = clock.now().plus(refill);
          throw new DeviceException(id, DeviceFault.HOPPER_EMPTY, "input hopper empty");
        }
      }
      inside.put(card.serial(), card);
    }

    @Override
    public void moveTo(CardTag card, String position) {
      if (!inside.containsKey(card.serial())) {
        throw new DeviceException(id, DeviceFault.NO_CARD, card + " is not inside");
      }
    }

    @Override
    public void eject(CardTag card) {
      if (inside.remove(card.serial()) == null) {
        throw new DeviceException(id, DeviceFault.NO_CARD, card + " is not inside");
      }
      output.add(card);
    }

    @Override
    public void reject(CardTag card) {
      if (inside.remove(card.serial()) == null) {
        throw new DeviceException(id, DeviceFault.NO_CARD, card + " is not inside");
      }
      rejectBin.add(card);
    }

    @Override
    public List<CardTag> cardsInside() {
      synchronized (inside) {
        return List.copyOf(inside.values());
      }
    }

    volatile boolean knowsCards = true;

    @Override
    public boolean knowsCardsAfterRestart() {
      return knowsCards;
    }

    @Override
    public TransportSensors sensors() {
      return new TransportSensors(false, rejectBin.size(), output.size(), false);
    }

    @Override
    public void close() {}
  }

  /** A stripe encoder taking {@code time} per card; fails a read back for the cards {@code badRead} picks. */
  static final class Encoder implements MagStripeEncoder {
    final String id;
    final LineClock clock;
    final Duration time;
    final IntPredicate badRead;
    private int reads;

    Encoder(String id, LineClock clock, Duration time, IntPredicate badRead) {
      this.id = id;
      this.clock = clock;
      this.time = time;
      this.badRead = badRead;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public DeviceStatus status() {
      return DeviceStatus.ready();
    }

    @Override
    public void write(CardTag card, StripeData data) {
      clock.sleep(time);
    }

    @Override
    public StripeData read(CardTag card) {
      int n;
      synchronized (this) {
        n = ++reads;
      }
      if (badRead.test(n)) {
        throw new DeviceException(id, DeviceFault.READ_BACK_MISMATCH, "track 2");
      }
      return StripeData.of(Map.of(2, Bytes.fromHex("31")));
    }

    @Override
    public void erase(CardTag card, Set<Integer> tracks) {}

    @Override
    public void close() {}
  }

  /** A chip station taking {@code time} per card; the powers {@code contactFails} picks fail. */
  static final class Chip implements ChipStation {
    final String id;
    final LineClock clock;
    final Duration time;
    final IntPredicate contactFails;
    private int powers;
    volatile boolean faulted;

    Chip(String id, LineClock clock, Duration time, IntPredicate contactFails) {
      this.id = id;
      this.clock = clock;
      this.time = time;
      this.contactFails = contactFails;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public DeviceStatus status() {
      return faulted ? DeviceStatus.faulted(DeviceFault.CHIP_CONTACT_ERROR, "no ATR") : DeviceStatus.ready();
    }

    @Override
    public ChipSession power(CardTag card) {
      int n;
      synchronized (this) {
        n = ++powers;
      }
      if (contactFails.test(n)) {
        faulted = true;
        throw new DeviceException(id, DeviceFault.CHIP_CONTACT_ERROR, "no ATR");
      }
      clock.sleep(time);
      return new ChipSession() {
        @Override
        public Bytes atr() {
          return Bytes.fromHex("3B00");
        }

        @Override
        public CardChannel channel() {
          return cmd -> ResponseApdu.of(0x9000);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void close() {}
  }

  /** Writes a stripe and reads it back. */
  static PersoStep stripeStep() {
    return TestSteps.step("stripe", DeviceRole.MAG_STRIPE_ENCODER, "magstripe", ctx -> {
      MagStripeEncoder e = ctx.device(DeviceRole.MAG_STRIPE_ENCODER);
      ctx.markWritten();
      e.write(ctx.card(), StripeData.of(Map.of(2, Bytes.fromHex("31"))));
      e.read(ctx.card());
    });
  }

  /** Powers the chip (the station takes its time), then writes one STORE DATA. */
  static PersoStep chipStep() {
    return TestSteps.step("chip", DeviceRole.CHIP_STATION, "applications", ctx -> {
      ChipStation s = ctx.device(DeviceRole.CHIP_STATION);
      try (ChipSession chip = s.power(ctx.card())) {
        ctx.markWritten();
        chip.channel().transmit(dev.perso.core.apdu.CommandApdu.of(0x80, 0xE2, 0x80, 0x00,
            Bytes.fromHex("0101"))).requireSuccess("STORE DATA");
      }
    });
  }

  /** {@code n} records with an applications and a magstripe section. */
  static RecordSource records(int n) {
    return TestSteps.records(n, "applications", "magstripe");
  }
}
