package dev.perso.core.step;

import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.record.CardRecord;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The unit of work on one card: it names the device roles it needs and the record sections it claims,
 * checks a record before any card is fed, and runs on the physical card with a {@link StepContext}. Each
 * domain module provides its steps (magnetic stripe, EMV CPS, emboss, print, memory cards...); the line
 * engine knows none of them.
 *
 * <pre>{@code
 * CardType debit = CardType.builder("debit")
 *     .step(MagStripeStep.of(layout, keys))        // claims "magstripe", needs MAG_STRIPE_ENCODER
 *     .step(CpsStep.of(profile, kmc))              // claims "applications", needs CHIP_STATION
 *     .build();
 * }</pre>
 */
public interface PersoStep {

  /** @return the step's name, unique in its card type, e.g. {@code magstripe} or {@code emv-cps} */
  String name();

  /** @return the device roles the step needs at its station (one, usually) */
  Set<DeviceRole<?>> roles();

  /** @return the record sections this step reads */
  Set<String> sections();

  /**
   * Decodes and checks this step's sections of a record, before a card is used for it. A record that fails
   * is rejected with the field named and no card is spent.
   *
   * @param record the record
   * @throws dev.perso.core.ValidationException naming the record's location and the field
   */
  void validate(CardRecord record);

  /**
   * Runs the step on the card at the station. Before the first change to the card (a write, a STORE DATA)
   * the step calls {@link StepContext#markWritten()}: a step that fails before that may be retried at
   * another station (the card keeps what earlier steps wrote); after it, the card is rejected.
   *
   * @param context the record, the station's devices, events and the clock
   * @throws dev.perso.core.PersoException when the card cannot be finished; a
   *     {@link dev.perso.core.DeviceException} carries the fault the line reacts to
   */
  void run(StepContext context);

  /**
   * The blank virtual card a virtual chip station finds on each card fed for this step, when it has one:
   * the EMV step gives a virtual GP card under the profile's transport keys.
   *
   * @return the factory, or empty
   */
  default Optional<Function<CardTag, VirtualCard>> virtualCardStock() {
    return Optional.empty();
  }
}
