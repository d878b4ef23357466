package dev.perso.devices.virtual;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.TransportException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A chip station's behaviour, shared by {@code virtual:chip} and {@code virtual:desktop}. The station's time
 * per card is taken on {@link #power}: the APDUs that follow are instantaneous, so a station with
 * {@code ms=6000} is busy 6 s per card however many commands the step sends.
 */
final class ChipLogic {
  static final Set<String> FAULT_PARAMS = Set.of("contactFailAt", "contactFailRate", "seed");

  private final DeviceCore core;
  private final long ms;
  private final Set<Long> contactFailAt;
  private final double contactFailRate;
  private final Random random;
  private long powers;

  ChipLogic(DeviceCore core, Params p, String msName) {
    this.core = core;
    this.ms = p.ms(msName, 0);
    this.contactFailAt = p.at("contactFailAt");
    this.contactFailRate = p.rate("contactFailRate");
    this.random = new Random(p.seed());
  }

  ChipSession power(CardTag card) {
    core.checkUsable();
    core.begin();
    try {
      boolean fail;
      long n;
      synchronized (core) {
        n = ++powers;
        fail = contactFailAt.contains(n) || (contactFailRate > 0 && random.nextDouble() < contactFailRate);
      }
      VirtualCard chip = core.world.with(core.id, card, b -> b.chip);
      if (fail) {
        throw core.fail(new DeviceCore.Fault(DeviceFault.CHIP_CONTACT_ERROR, "no ATR at power " + n + " (cue)", -1, null));
      }
      if (chip == null) {
        throw new DeviceException(core.id, DeviceFault.CHIP_CONTACT_ERROR, "no chip on this card stock");
      }
      core.take(ms);
      return new Session(chip);
    } finally {
      core.end();
    }
  }

  private final class Session implements ChipSession {
    private final Bytes atr;
    private final CardChannel channel;
    private final AtomicBoolean closed = new AtomicBoolean();

    Session(VirtualCard chip) {
      CardChannel inner = VirtualCard.connect(chip);
      this.atr = chip.atr();
      this.channel = command -> {
        if (closed.get()) {
          throw new TransportException(core.id + ": the card was powered off (session closed)");
        }
        return inner.transmit(command);
      };
      core.sessionOpened();
    }

    @Override
    public Bytes atr() {
      return atr;
    }

    @Override
    public CardChannel channel() {
      return channel;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        core.sessionClosed();
      }
    }
  }
}
