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

  private final CardRecord record;
  private final CardTag card;
  private final String machine;
  private final PersoEvents events;
  private final LineClock clock;
  private final CardTransport transport;
  private final Map<String, String> outputs = new LinkedHashMap<>();
  private Station station;
  private volatile boolean written;

  CardContext(CardRecord record, CardTag card, String machine, PersoEvents events, LineClock clock,
      CardTransport transport) {
    this.record = record;
    this.card = card;
    this.machine = machine;
    this.events = events;
    this.clock = clock;
    this.transport = transport;
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
  public void checkCancelled() {
    // the engine stops between steps; a step that runs long may call this to stop sooner
    if (Thread.currentThread().isInterrupted()) {
      throw new PersoException("the line is stopping");
    }
  }
}
