package dev.perso.emv.cps;

import java.time.Duration;
import java.util.List;

/**
 * What personalizing one card did: its audit trail (DGI ids, blocks and status words, never values).
 *
 * <pre>{@code
 * PersoResult r = personalizer.personalize(channel, card);
 * r.audit().forEach(System.out::println);   // "A0000000031010 STORE DATA P1=60 P2=03 [8000] 51 bytes -> 9000"
 * }</pre>
 *
 * @param cardId the card's record id
 * @param applications the AIDs personalized, in order, hex
 * @param storeDataCommands how many STORE DATA commands were sent
 * @param audit the audit trail
 * @param elapsed wall time of the whole card
 */
public record PersoResult(String cardId, List<String> applications, int storeDataCommands, List<String> audit,
    Duration elapsed) {
  /** Copies the lists. */
  public PersoResult {
    applications = List.copyOf(applications);
    audit = List.copyOf(audit);
  }
}
