package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DgiScriptTest {

  private static List<PersoInput> readAll(String script) {
    List<PersoInput> out = new ArrayList<>();
    try (PersoDataSource s = DgiScript.of(script, "cards.dgi")) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void readsCardsApplicationsDgisAndFields() {
    // DGI 9000/8010/9010 values: public VSDC/PBOC perso scripts (gp-emv-cps notes §3.7).
    List<PersoInput> all = readAll(String.join("\n",
        "# two cards",
        "card 0001",
        "app A0000000031010 vsdc-example",
        "dgi 9000 97DCB0 CE4E2C B37DF3   # KCVs",
        "dgi 8010 kek=transport-kek 00112233 44556677",
        "app A0000000041010 mchip-example",
        "dgi 9010 0303",
        "mag pan=4761739001010010",
        "surface embossLine1=4761 7390 0101 0010",
        "",
        "card 0002",
        "app A0000000031010 vsdc-example",
        "dgi 9010 0303"));
    assertThat(all).hasSize(2);
    CardPersoData c1 = ((PersoInput.Card) all.get(0)).data();
    assertThat(c1.applications()).hasSize(2);
    assertThat(c1.applications().get(0).dgis().get(0).dgi().value().toHex()).isEqualTo("97DCB0CE4E2CB37DF3");
    assertThat(c1.applications().get(0).dgis().get(1).transportKey()).contains("transport-kek");
    assertThat(c1.surface()).containsEntry("embossLine1", "4761 7390 0101 0010");
    assertThat(all.get(1).location()).isEqualTo("cards.dgi:11");
  }

  @Test
  void anErrorRejectsThatCardOnlyAndReadingResumesAtTheNextCard() {
    List<PersoInput> all = readAll(String.join("\n",
        "card A",
        "app A0000000031010 vsdc-example",
        "dgi 9010 03G3",
        "dgi 9000 00",
        "card B",
        "dgi 9010 0303",
        "card C",
        "app A0000000031010 vsdc-example",
        "dgi 9010 0303"));
    assertThat(all).hasSize(3);
    PersoInput.Rejected a = (PersoInput.Rejected) all.get(0);
    assertThat(a.cardId()).isEqualTo("A");
    assertThat(a.reason().getMessage()).contains("cards.dgi:3 dgi 9010 data").contains("not a hex digit");
    PersoInput.Rejected b = (PersoInput.Rejected) all.get(1);
    assertThat(b.reason().getMessage()).contains("cards.dgi:6").contains("'app' line must come before");
    assertThat(((PersoInput.Card) all.get(2)).data().cardId()).isEqualTo("C");
  }

  @Test
  void statementsBeforeTheFirstCardAreRejected() {
    List<PersoInput> all = readAll("app A0000000031010 vsdc-example\ncard 1\napp A0000000031010 p\ndgi 9010 0303\n");
    assertThat(all.get(0)).isInstanceOf(PersoInput.Rejected.class);
    assertThat(all.get(1)).isInstanceOf(PersoInput.Card.class);
  }
}
