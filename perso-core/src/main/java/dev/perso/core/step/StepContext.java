package dev.perso.core.step;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.line.LineClock;
import dev.perso.core.record.CardRecord;

/**
 * What a step runs with: the record, the physical card's tag, the devices of its station by role, the
 * events listener and the line's clock. A step reports the first change it makes to the card with
 * {@link #markWritten()} and may leave small outputs (identifiers, never secrets) for later stages.
 *
 * <pre>{@code
 * public void run(StepContext ctx) {
 *   MagStripeEncoder enc = ctx.device(DeviceRole.MAG_STRIPE_ENCODER);
 *   ctx.markWritten();
 *   enc.write(ctx.card(), stripe);
 * }
 * }</pre>
 */
public interface StepContext {

  /** @return the card's record */
  CardRecord record();

  /** @return the physical card's tag */
  CardTag card();

  /** @return the machine's id */
  String machine();

  /** @return the station's id, e.g. {@code mx-1/chip-3} */
  String station();

  /**
   * @param role a role the step declared
   * @param <T> the role's device interface
   * @return the station's device playing it
   * @throws IllegalStateException if the step did not declare the role
   */
  <T extends Device> T device(DeviceRole<T> role);

  /** @return the listener (audit, APDUs, faults) */
  PersoEvents events();

  /** @return the line's clock */
  LineClock clock();

  /**
   * The running step is about to change the card: from now on a failure of this step rejects the card
   * instead of retrying it (at another station, or at the same one after a person fixed the device).
   */
  void markWritten();

  /** @return whether the running step has changed the card */
  boolean written();

  /**
   * Leaves a small output for later stages, e.g. the chip serial read back. Never a secret.
   *
   * @param key the output's name
   * @param value its value
   */
  void stageOutput(String key, String value);

  /**
   * An identification step found that the card in hand is record {@code recordId}'s card: from now on the
   * card is personalized as that record ({@link #record()} returns it), and the record the card was fed
   * for waits for its own card. Only before anything is written to the card. A context that cannot
   * re-assign (the default) refuses.
   *
   * <pre>{@code
   * String owner = previous.recordsWithOutput("chip-serial", serial).get(0);
   * if (!owner.equals(ctx.record().id())) {
   *   ctx.reassign(owner);
   * }
   * }</pre>
   *
   * @param recordId the record the card belongs to
   * @throws dev.perso.core.CardIdentificationException if that record is not one this run may personalize
   *     now (not in the input, DONE, REJECTED or in progress in this stage, or another controller's), or the
   *     card was already written
   */
  default void reassign(String recordId) {
    throw new dev.perso.core.CardIdentificationException(record().id(), "the card belongs to record " + recordId);
  }

  /**
   * @throws dev.perso.core.PersoException if the job is being stopped; long steps call it between operations
   */
  void checkCancelled();
}
