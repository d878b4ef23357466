package dev.perso.samples.prep;

import dev.perso.emv.prep.Cardholder;
import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.CardType;
import dev.perso.core.step.StepEnvironment;
import dev.perso.devices.memory.MemoryCard;
import dev.perso.devices.memory.MemoryCardStep;
import dev.perso.devices.memory.MemoryImage;
import dev.perso.devices.memory.MemorySection;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's memory card type, {@code loyalty-memory} (an SLE4442 loyalty card: constants, the member's text,
 * bytes 0..31 protected, a per-card code), its data preparation and the check of a finished card held in hand.
 *
 * <pre>{@code
 * CardType loyalty = DemoMemoryCards.cardType(env);
 * CardRecord r = DemoMemoryCards.prepare(DemoCardholders.cardholder(1, random), random);
 * int checks = DemoMemoryCards.check(chip, r, (MemoryCardStep) loyalty.steps().get(0));
 * }</pre>
 */
public final class DemoMemoryCards {
  /** The card type's name. */
  public static final String CARD_TYPE = "loyalty-memory";

  private DemoMemoryCards() {}

  /**
   * @param env the step environment (the memory step needs no service)
   * @return the shipped {@code loyalty-memory} card type
   */
  public static CardType cardType(StepEnvironment env) {
    return SampleCardTypes.load(CARD_TYPE, env);
  }

  /**
   * Data preparation for one loyalty card: the member's text at 64 ({@code <id> <SURNAME>}, at most 32
   * characters) and a per-card 3-byte code.
   *
   * @param c the cardholder
   * @param random where the per-card code comes from
   * @return the record, with a {@code memory} section only
   */
  public static CardRecord prepare(Cardholder c, Random random) {
    String name = c.stripe().name().orElseThrow();
    String surname = name.substring(0, name.indexOf('/') < 0 ? name.length() : name.indexOf('/'));
    String text = (c.cardId() + " " + surname).toUpperCase(Locale.ROOT);
    MemoryImage data = MemoryImage.builder().put(64, text.length() > 32 ? text.substring(0, 32) : text).build();
    byte[] code = new byte[3];
    random.nextBytes(code);
    try (SecretBytes perCard = SecretBytes.takeOwnership(code)) {
      return CardRecord.builder(c.cardId()).section(MemorySection.NAME, MemorySection.encode(data, perCard)).build();
    }
  }

  /**
   * Checks a finished card as if held in hand: its per-card code verifies, the whole image reads back, the
   * protected ranges are protected.
   *
   * @param chip the card's chip (behind an ACS reader)
   * @param record its record
   * @param step the card type's memory step
   * @return how many checks passed (the code, each segment, each protected range)
   * @throws dev.perso.core.PersoException on the first check that fails
   */
  public static int check(VirtualCard chip, CardRecord record, MemoryCardStep step) {
    int checks = 0;
    try (CardChannel ch = VirtualCard.connect(chip)) {
      MemoryCard card = MemoryCard.builder(ch, step.chip()).build();
      try (SecretBytes code = MemorySection.decode(record, step.chip()).code().orElseThrow()) {
        card.presentCode(code);
        checks++;
      }
      for (MemoryImage.Segment s : step.image(record).segments()) {
        Bytes back = card.read(s.address(), s.data().length());
        if (!back.equals(s.data())) {
          throw new ValidationException(record.where() + " memory " + s.address(), "does not read back");
        }
        checks++;
      }
      for (MemoryCardStep.Range r : step.protectedRanges()) {
        if (card.protection(r.address(), r.length()).cardinality() != r.length()) {
          throw new ValidationException(record.where() + " memory " + r.address(), "is not protected");
        }
        checks++;
      }
    }
    return checks;
  }
}
