package dev.perso.devices.virtual;

import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.TransportSensors;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A card transport's behaviour, shared by {@code virtual:transport} and {@code virtual:desktop}. Its state
 * is guarded by the device core.
 */
final class TransportLogic {
  static final Set<String> PARAMS = Set.of("feedMs", "moveMs", "ejectMs", "rejectMs", "hopper", "refillMs", "jamAt",
      "clearMs", "rejectBinCapacity", "emptyMs", "state");

  private final DeviceCore core;
  private final long feedMs;
  private final long moveMs;
  private final long ejectMs;
  private final long rejectMs;
  private final int hopper;
  private final long refillMs;
  private final Set<Long> jamAt;
  private final long clearMs;
  private final int binCapacity;
  private final long emptyMs;
  private final boolean onePosition;
  private final StateLog log;

  private final LinkedHashSet<CardTag> inside = new LinkedHashSet<>();
  private int blanksLeft;
  private long feeds;
  private int binLevel;
  private int delivered;

  TransportLogic(DeviceCore core, Params p, boolean onePosition) {
    this.core = core;
    this.feedMs = p.ms("feedMs", 0);
    this.moveMs = p.ms("moveMs", 0);
    this.ejectMs = p.ms("ejectMs", 0);
    this.rejectMs = p.ms("rejectMs", ejectMs);
    this.hopper = p.count("hopper", 0);
    this.refillMs = p.ms("refillMs", 0);
    this.jamAt = p.at("jamAt");
    this.clearMs = p.ms("clearMs", 0);
    this.binCapacity = p.count("rejectBinCapacity", 0);
    this.emptyMs = p.ms("emptyMs", 0);
    this.onePosition = onePosition;
    this.blanksLeft = hopper;
    String state = p.address().params().get("state");
    if (state != null && state.isBlank()) {
      throw new ValidationException("device " + p.address().text() + " state", "must name a file");
    }
    synchronized (core) {
      this.log = state == null ? null : StateLog.open(core.id, Path.of(state), this::replay);
    }
  }

  private void replay(StateLog.Entry e) {
    switch (e.op()) {
      case "feed" -> {
        countFeed();
        core.world.enter(core.id, need(e), chipFor(need(e)));
        inside.add(e.card());
      }
      case "jam" -> countFeed();
      case "move" -> core.world.update(core.id, need(e), b -> b.positions.add(Objects.requireNonNullElse(e.position(), "?")));
      case "eject" -> {
        core.world.finish(core.id, need(e), PhysicalCard.Location.OUTPUT_HOPPER);
        inside.remove(e.card());
        delivered++;
      }
      case "reject" -> {
        core.world.finish(core.id, need(e), PhysicalCard.Location.REJECT_BIN);
        inside.remove(e.card());
        binLevel++;
      }
      case "retag" -> relabel(need(e));
      case "refill" -> blanksLeft = hopper;
      case "binEmptied" -> binLevel = 0;
      default -> throw new MalformedDataException(0, "state of " + core.id + ": unknown op '" + e.op() + "'");
    }
  }

  private CardTag need(StateLog.Entry e) {
    if (e.card() == null) {
      throw new MalformedDataException(0, "state of " + core.id + ": op '" + e.op() + "' without a card");
    }
    return e.card();
  }

  private void countFeed() {
    feeds++;
    if (hopper > 0) {
      blanksLeft--;
    }
  }

  private VirtualCard chipFor(CardTag card) {
    return core.context.cardStock().map(stock -> stock.apply(card)).orElse(null);
  }

  private void write(String op, CardTag card, String position) {
    if (log != null) {
      log.append(op, card, position);
    }
  }

  void feed(CardTag card) {
    Objects.requireNonNull(card, "card");
    core.checkUsable();
    if (core.world.card(card).isPresent()) {
      throw new ValidationException("card", card + " was fed before; a new card needs a new serial");
    }
    DeviceCore.Fault fault = null;
    synchronized (core) {
      if (onePosition && !inside.isEmpty()) {
        throw new ValidationException("card", core.id + " holds one card and " + inside.iterator().next()
            + " is in it; eject or reject it first");
      }
      if (core.world.hopperUsedUp(core.id)) {
        // the operator loaded the earlier stage's cards as the whole hopper: nothing left to feed, no fault to clear
        throw new DeviceException(core.id, DeviceFault.NO_CARD, "the input hopper is empty: every card"
            + " loaded into it has been fed");
      }
      if (hopper > 0 && blanksLeft <= 0) {
        fault = new DeviceCore.Fault(DeviceFault.HOPPER_EMPTY, "input hopper empty after " + feeds + " cards",
            refillMs, () -> {
              blanksLeft = hopper;
              write("refill", null, null);
            });
      } else {
        countFeed();
        if (jamAt.contains(feeds)) {
          write("jam", null, null);
          fault = new DeviceCore.Fault(DeviceFault.JAM, "jam at feed " + feeds + "; the operator removes the blank",
              clearMs, null);
        }
      }
    }
    if (fault != null) {
      throw core.fail(fault);
    }
    // a card loaded from an earlier stage keeps its chip; a blank gets the card stock's (made outside the lock)
    VirtualCard chip = core.world.loadedLeft(core.id) > 0 ? null : chipFor(card);
    core.take(feedMs);
    synchronized (core) {
      if (!core.world.enterLoaded(core.id, card)) {
        core.world.enter(core.id, card, chip != null ? chip : chipFor(card));
      }
      inside.add(card);
      write("feed", card, null);
    }
  }

  void retag(CardTag card) {
    core.checkUsable();
    requireInside(card);
    synchronized (core) {
      relabel(card);
      write("retag", card, null);
    }
  }

  /** The card with this serial carries another record now; it keeps its place in the order. Call holding core. */
  private void relabel(CardTag card) {
    core.world.retag(core.id, card);
    java.util.List<CardTag> order = new java.util.ArrayList<>(inside);
    order.replaceAll(c -> c.equals(card) ? card : c);
    inside.clear();
    inside.addAll(order);
  }

  void moveTo(CardTag card, String position) {
    if (position == null || position.isBlank()) {
      throw new ValidationException("position", "must name a module or station");
    }
    core.checkUsable();
    requireInside(card);
    core.take(moveMs);
    synchronized (core) {
      core.world.update(core.id, card, b -> b.positions.add(position));
      write("move", card, position);
    }
  }

  void eject(CardTag card) {
    core.checkUsable();
    requireInside(card);
    core.take(ejectMs);
    synchronized (core) {
      core.world.finish(core.id, card, PhysicalCard.Location.OUTPUT_HOPPER);
      inside.remove(card);
      delivered++;
      write("eject", card, null);
    }
  }

  void reject(CardTag card) {
    core.checkUsable();
    requireInside(card);
    DeviceCore.Fault fault = null;
    synchronized (core) {
      if (binCapacity > 0 && binLevel >= binCapacity) {
        fault = new DeviceCore.Fault(DeviceFault.REJECT_BIN_FULL, "reject bin holds " + binLevel + " cards", emptyMs,
            () -> {
              binLevel = 0;
              write("binEmptied", null, null);
            });
      }
    }
    if (fault != null) {
      throw core.fail(fault);
    }
    core.take(rejectMs);
    synchronized (core) {
      core.world.finish(core.id, card, PhysicalCard.Location.REJECT_BIN);
      inside.remove(card);
      binLevel++;
      write("reject", card, null);
    }
  }

  private void requireInside(CardTag card) {
    Objects.requireNonNull(card, "card");
    synchronized (core) {
      if (!inside.contains(card)) {
        throw new DeviceException(core.id, DeviceFault.NO_CARD, card + " is not inside");
      }
    }
  }

  /** @return true with a state file: the cards inside survive a restart of the controller */
  boolean knowsCardsAfterRestart() {
    return log != null;
  }

  List<CardTag> cardsInside() {
    synchronized (core) {
      return List.copyOf(inside);
    }
  }

  TransportSensors sensors() {
    core.status();   // applies an operator's refill or emptying whose time has come
    synchronized (core) {
      return new TransportSensors(hopper > 0 && blanksLeft <= 0, binLevel, delivered, false);
    }
  }

  void close() {
    if (log != null) {
      log.close();
    }
  }
}
