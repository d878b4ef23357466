package dev.perso.iso7813.step;

import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepContext;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The stripe-rewriting step of a later stage: the card in the encoder was issued before; the step reads
 * its stripe, checks that it is the card of the record in hand (same PAN, else the card is rejected with
 * the stripe untouched), builds the new tracks from the record with the {@link MagStripeStep}'s layout and
 * keys, erases, writes, reads back and compares ({@link StripeRewrite}), and leaves which fields changed,
 * never their values, as the stage output {@value #OUTPUT}.
 *
 * <pre>{@code
 * CardType reissue = CardType.builder("reissue")
 *     .step(MagStripeRewriteStep.of(MagStripeStep.of(IssuerLayout.EXAMPLE_PVV_CVV, keys))).build();
 * }</pre>
 *
 * <p>In a card-type file: {@code {"type": "magstripe-rewrite", "layout": "pvv-cvv", "cvk": "demo-cvk"}} with the
 * members of {@link MagStripeStepProvider}.
 */
public final class MagStripeRewriteStep implements PersoStep {
  /** The step type and default name. */
  public static final String TYPE = "magstripe-rewrite";
  /** The stage output the step leaves: the changed fields per track. */
  public static final String OUTPUT = "magstripe.rewrite";

  private final MagStripeStep builder;
  private final String name;

  private MagStripeRewriteStep(MagStripeStep builder, String name) {
    this.builder = Objects.requireNonNull(builder, "builder");
    this.name = name;
  }

  /**
   * @param builder the stripe step whose layout and keys build the new tracks
   * @return the step, named {@value #TYPE}
   */
  public static MagStripeRewriteStep of(MagStripeStep builder) {
    return new MagStripeRewriteStep(builder, TYPE);
  }

  /**
   * @param builder the stripe step whose layout and keys build the new tracks
   * @param name the step's name in its card type
   * @return the step
   */
  public static MagStripeRewriteStep of(MagStripeStep builder, String name) {
    return new MagStripeRewriteStep(builder, name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<DeviceRole<?>> roles() {
    return Set.of(DeviceRole.MAG_STRIPE_ENCODER);
  }

  @Override
  public Set<String> sections() {
    return builder.sections();
  }

  @Override
  public void validate(CardRecord record) {
    builder.validate(record);
  }

  @Override
  public void run(StepContext ctx) {
    MagStripeEncoder encoder = ctx.device(DeviceRole.MAG_STRIPE_ENCODER);
    StripeRewrite.OldStripe old = StripeRewrite.readOld(encoder, ctx.card());
    CardRecord record = ctx.record();
    StripeRewrite.RewriteReport report = StripeRewrite.of(builder, id -> Optional.of(record))
        .rewrite(encoder, ctx.card(), old, record, ctx::markWritten);
    ctx.stageOutput(OUTPUT, report.summary());
  }

  @Override
  public String toString() {
    return "MagStripeRewriteStep[" + name + ", " + builder + "]";
  }
}
