package dev.perso.core.testing;

import dev.perso.core.PersoException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.line.LineClock;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link StepContext} for testing one step on one card without a line: the devices are given by role,
 * {@link #markWritten()} is counted and can run a hook (to see at which command it happened), stage
 * outputs are kept.
 *
 * <pre>{@code
 * TestStepContext ctx = new TestStepContext(record).device(DeviceRole.CHIP_STATION, station);
 * step.run(ctx);
 * assertThat(ctx.markWrittenCalls()).isEqualTo(1);
 * }</pre>
 */
public final class TestStepContext implements StepContext {
  private final CardRecord record;
  private final CardTag card;
  private final Map<DeviceRole<?>, Device> devices = new LinkedHashMap<>();
  private final Map<String, String> outputs = new LinkedHashMap<>();
  private PersoEvents events = PersoEvents.NONE;
  private Runnable onMarkWritten = () -> { };
  private int markWrittenCalls;
  private boolean cancelled;
  private boolean reassignable;
  private String reassignedTo;

  /** @param record the card's record; the card is serial 1 */
  public TestStepContext(CardRecord record) {
    this.record = Objects.requireNonNull(record);
    this.card = new CardTag(1, record.id());
  }

  /**
   * @param role a role
   * @param device the device playing it
   * @param <T> the role's type
   * @return this
   */
  public <T extends Device> TestStepContext device(DeviceRole<T> role, T device) {
    devices.put(role, device);
    return this;
  }

  /** Lets {@link #reassign} succeed and remember the record (the default refuses, as a context that cannot). @return this */
  public TestStepContext reassignable() {
    this.reassignable = true;
    return this;
  }

  /** @return the record a step re-assigned the card to, or null */
  public String reassignedTo() {
    return reassignedTo;
  }

  @Override
  public void reassign(String recordId) {
    if (!reassignable) {
      StepContext.super.reassign(recordId);
      return;
    }
    reassignedTo = recordId;
  }

  /** @param listener events @return this */
  public TestStepContext events(PersoEvents listener) {
    this.events = listener;
    return this;
  }

  /** @param hook runs at each markWritten() @return this */
  public TestStepContext onMarkWritten(Runnable hook) {
    this.onMarkWritten = hook;
    return this;
  }

  /** Makes {@link #checkCancelled()} throw. */
  public void cancel() {
    cancelled = true;
  }

  /** @return how often the step called markWritten() */
  public int markWrittenCalls() {
    return markWrittenCalls;
  }

  /** @return the stage outputs left */
  public Map<String, String> outputs() {
    return outputs;
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
    return "test-machine";
  }

  @Override
  public String station() {
    return "test-machine/station-1";
  }

  @Override
  public <T extends Device> T device(DeviceRole<T> role) {
    Device d = devices.get(role);
    if (d == null) {
      throw new IllegalStateException("no device for role " + role);
    }
    return role.type().cast(d);
  }

  @Override
  public PersoEvents events() {
    return events;
  }

  @Override
  public LineClock clock() {
    return LineClock.system();
  }

  @Override
  public void markWritten() {
    markWrittenCalls++;
    onMarkWritten.run();
  }

  @Override
  public boolean written() {
    return markWrittenCalls > 0;
  }

  @Override
  public void stageOutput(String key, String value) {
    outputs.put(key, value);
  }

  @Override
  public void checkCancelled() {
    if (cancelled) {
      throw new PersoException("cancelled") { };
    }
  }
}
