package dev.perso.core.line;

import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link StepContext} of one physical card as it moves through a machine. */
final class CardContext implements StepContext {
  private static final int MAX_OUTPUTS = 16;
  private static final java.util.regex.Pattern OUTPUT_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,31}");

  /** What re-assigns a card to another record: the engine. */
  interface Reassigner {
    /** @return the record the card now belongs to */
    CardRecord reassign(CardContext card, String recordId);
  }

  private volatile CardRecord record;
  /** The card's tag: its record follows the record's after a re-assignment ({@link #syncTag}). */
  private volatile CardTag card;
  private final String machine;
  private final PersoEvents events;
  private final LineClock clock;
  private final CardTransport transport;
  private final Map<String, String> outputs = new LinkedHashMap<>();
  private Station station;
  private volatile boolean written;
  private volatile boolean everWritten;
  private Reassigner reassigner;
  /** A step started on the card (guarded by the engine's lock): its record is no longer exchanged. */
  boolean pinned;

  CardContext(CardRecord record, CardTag card, String machine, PersoEvents events, LineClock clock,
      CardTransport transport) {
    this.record = record;
    this.card = card;
    this.machine = machine;
    this.events = events;
    this.clock = clock;
    this.transport = transport;
  }

  void reassigner(Reassigner r) {
    this.reassigner = r;
  }

  /** The engine exchanged this (not yet pinned) card's record with another card's. */
  void record(CardRecord r) {
    this.record = r;
  }

  /**
   * Names the card after the record it now carries if the engine changed it (an identification re-assigned
   * it, or exchanged it with another card's): tells the transport and the listener. Called only by the
   * thread that carries the card, so its devices always see the tag the transport knows.
   */
  void syncTag() {
    CardTag was = card;
    String now = record.id();
    if (!was.recordId().equals(now)) {
      card = was.withRecord(now);
      transport.retag(card);
      events.cardReassigned(card, was.recordId());
    }
  }

  /** @return whether any step has changed the card */
  boolean everWritten() {
    return everWritten;
  }

  void at(Station s) {
    this.station = s;
  }

  /** A step starts: nothing written by it yet. */
  void stepStarted() {
    written = false;
  }

  Map<String, String> outputs() {
    return Map.copyOf(outputs);
  }

  @Override
  public CardRecord record() {
    return record;
  }

  @Override
  public CardTag card() {
    return card;
  }

  @Override
  public String machine() {
    return machine;
  }

  @Override
  public String station() {
    return station == null ? "" : station.id();
  }

  @Override
  public <T extends Device> T device(DeviceRole<T> role) {
    if (station != null) {
      var d = station.device(role);
      if (d.isPresent()) {
        return d.get();
      }
    }
    if (transport.roles().contains(role)) {
      return role.cast(transport);
    }
    throw new IllegalStateException("station " + station() + " has no " + role);
  }

  @Override
  public PersoEvents events() {
    return events;
  }

  @Override
  public LineClock clock() {
    return clock;
  }

  @Override
  public void markWritten() {
    written = true;
    everWritten = true;
  }

  @Override
  public boolean written() {
    return written;
  }

  @Override
  public void stageOutput(String key, String value) {
    if (key == null || !OUTPUT_NAME.matcher(key).matches()) {
      throw new ValidationException("stage output", "name must be a letter then up to 31 letters, digits, '.', '_', '-'");
    }
    if (value == null || value.length() > 128) {
      throw new ValidationException("stage output " + key, "value must be 0 to 128 characters");
    }
    if (!outputs.containsKey(key) && outputs.size() >= MAX_OUTPUTS) {
      throw new ValidationException("stage output " + key, "at most " + MAX_OUTPUTS + " outputs per card");
    }
    outputs.put(key, value);
  }

  @Override
  public void reassign(String recordId) {
    if (reassigner == null) {
      StepContext.super.reassign(recordId);
      return;
    }
    record = reassigner.reassign(this, recordId);
    syncTag();
  }

  @Override
  public void checkCancelled() {
    // the engine stops between steps; a step that runs long may call this to stop sooner
    if (Thread.currentThread().isInterrupted()) {
      throw new PersoException("the line is stopping");
    }
  }
}
