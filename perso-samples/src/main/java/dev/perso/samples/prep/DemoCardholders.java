package dev.perso.samples.prep;

import dev.perso.emv.prep.Cardholder;
import dev.perso.core.cardholder.Pan;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.StripeRecord;
import java.util.Random;

/**
 * Made-up cardholders for demos and tests: test PANs on the Visa test BIN 476173 with a correct Luhn
 * digit, a name, expiry 12/29, service code 201 and a random PIN.
 *
 * <pre>{@code
 * Random random = new Random(7813);
 * Cardholder first = DemoCardholders.cardholder(1, random);   // record 0001, PAN 4761739000000012
 * }</pre>
 */
public final class DemoCardholders {
  private static final String[][] NAMES = {{"Lovelace", "Ada"}, {"Turing", "Alan"}, {"Hopper", "Grace"},
      {"Shannon", "Claude"}, {"Knuth", "Donald"}, {"Liskov", "Barbara"}, {"Ritchie", "Dennis"}, {"Hamilton", "Margaret"}};

  private DemoCardholders() {}

  /**
   * @param i the cardholder's number, 1 to 999,999 (the record id is its 4-digit or wider form)
   * @param random where the PIN comes from
   * @return the cardholder
   */
  public static Cardholder cardholder(int i, Random random) {
    String body = "476173900" + String.format("%06d", i);
    String pan = Pan.luhnComplete(body);
    String[] name = NAMES[(i - 1) % NAMES.length];
    String pin = String.format("%04d", random.nextInt(10000));
    StripeRecord stripe = StripeRecord.builder().pan(pan).name(Name.of(name[0], name[1])).expiry("2912")
        .serviceCode("201").pvki(1).pin(pin).build();
    return new Cardholder(String.format("%04d", i), stripe, "01");
  }
}
