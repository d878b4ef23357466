package dev.perso.devices.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.Topping;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Layouts load strictly and fill-ins are checked against ISO/IEC 7811-3 (notes §4.1 values, cited in SurfaceLimits). */
class SurfaceLayoutTest {
  private final SurfaceLayout debit = SurfaceFixtures.debit();

  private static SurfaceLayout parse(String json) {
    return SurfaceLayout.parse(json, "t.json", Path.of("."));
  }

  /** A layout with one emboss line (and the example's stock: chip and stripe). */
  private static SurfaceLayout oneLine(String font, double x, double y, String text) {
    return parse("{\"name\":\"t\",\"stock\":{\"chip\":[9.2,17.6,11.8,12.6],\"stripe\":[0,5.54,85.6,10.28]},"
        + "\"emboss\":[{\"name\":\"line\",\"text\":\"" + text + "\",\"font\":\"" + font + "\",\"x\":" + x + ",\"y\":" + y
        + "}]}");
  }

  private static SurfaceCheck.Rule firstError(SurfaceLayout layout, String pan, String name) {
    try {
      layout.plan(SurfaceFixtures.record("0007", pan, name));
    } catch (SurfaceValidationException e) {
      assertThat(e.getMessage()).doesNotContain(pan);
      return e.checks().get(0).rule();
    }
    return null;
  }

  @Test
  void theExampleFillsWithFormattedFields() {
    SurfacePlan plan = debit.plan(SurfaceFixtures.ada());
    assertThat(plan.emboss()).extracting(l -> l.text())
        .containsExactly("4761 7390 0000 0012", "12/29", "ADA LOVELACE");
    assertThat(plan.emboss().get(0).font()).isEqualTo(EmbossFont.FARRINGTON_7B);
    assertThat(plan.emboss().get(0).topping()).isEqualTo(Topping.SILVER);
    assertThat(plan.indent()).singleElement().satisfies(l -> assertThat(l.text()).isEqualTo("123"));
    assertThat(plan.printValues()).containsEntry("card-id-code", "0001");
    assertThat(plan.warnings()).isEmpty();
    assertThat(plan.toString()).doesNotContain("4761");
    assertThat(debit.fields()).containsExactly("cvv2", "expiry", "name", "pan");
  }

  @Test
  void unknownMembersAndBadValuesNameTheFileAndJsonPath() {
    assertThatThrownBy(() -> parse("{\"name\":\"t\",\"front\":{\"panels\":\"K\",\"elements\":[{\"type\":\"text\","
        + "\"name\":\"a\",\"text\":\"x\",\"x\":1,\"y\":5,\"size\":8,\"colur\":\"#000000\"}]}}"))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("t.json $.front.elements[0].colur");
          assertThat(e.rule()).contains("unknown member").contains("colour");
        });
    assertThatThrownBy(() -> oneLine("COMIC", 10, 34.81, "1"))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("t.json $.emboss[0].font");
          assertThat(e.rule()).contains("FARRINGTON_7B");
        });
    assertThatThrownBy(() -> parse("{\"name\":\"t\",\"front\":{\"panels\":\"YK\",\"elements\":[]}}"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).startsWith("t.json $.front"));
    assertThatThrownBy(() -> parse("{\"name\":\"t\",\"emboss\":[{\"name\":\"p\",\"text\":\"{pan\",\"font\":\"GOTHIC\","
        + "\"x\":10,\"y\":45}]}"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("not closed"));
    assertThatThrownBy(() -> parse("{\"name\":\"t\",\"front\":{\"panels\":\"K\",\"elements\":[{\"type\":\"barcode\","
        + "\"name\":\"q\",\"format\":\"QR_CODE\",\"content\":\"{id}\",\"box\":[80,40,10,10]}]}}"))
        .isInstanceOfSatisfying(SurfaceValidationException.class,
            e -> assertThat(e.checks().get(0).rule()).isEqualTo(SurfaceCheck.Rule.OUTSIDE_CARD));
    assertThatThrownBy(() -> parse("{\"name\":\"t\",\"front\":{\"panels\":\"K\",\"elements\":[{\"type\":\"barcode\","
        + "\"name\":\"q\",\"format\":\"QR_CODE\",\"content\":\"{id}\",\"box\":[0.1,40,10,10]}]}}"))
        .isInstanceOfSatisfying(SurfaceValidationException.class,
            e -> assertThat(e.checks().get(0).rule()).isEqualTo(SurfaceCheck.Rule.OUTSIDE_PRINTABLE));
  }

  @Test
  void theIdLineHoldsNineteenNumeralsOnItsCentreLine() {
    // Centre 21.42 mm above the bottom: baseline 53.98 - 21.42 + 4.5 / 2 = 34.81 mm from the top.
    assertThat(firstError(oneLine("FARRINGTON_7B", 8, 34.81, "{pan}"), "4761739000000000012", "A")).isNull();
    assertThat(firstError(oneLine("FARRINGTON_7B", 8, 34.81, "{pan}"), "47617390000000000123", "A"))
        .isEqualTo(SurfaceCheck.Rule.ID_LINE_LENGTH);
    assertThat(firstError(oneLine("FARRINGTON_7B", 8, 36.0, "{pan}"), "4761739000000012", "A"))
        .isEqualTo(SurfaceCheck.Rule.ID_LINE_AREA);
  }

  @Test
  void nameLinesStayInAreaTwo() {
    String twentySeven = "ABCDEFGHIJKLMNOPQRSTUVWXYZA";
    assertThat(firstError(oneLine("GOTHIC", 7, 48, "{name}"), "4761739000000012", twentySeven)).isNull();
    assertThat(firstError(oneLine("GOTHIC", 7, 48, "{name}"), "4761739000000012", twentySeven + "B"))
        .isEqualTo(SurfaceCheck.Rule.NAME_LENGTH);
    // First character's centre 6 + 1.27 < 7.65 mm from the left edge.
    assertThat(firstError(oneLine("GOTHIC", 6, 48, "{name}"), "4761739000000012", "ADA"))
        .isEqualTo(SurfaceCheck.Rule.NAME_AREA);
    // 1.5 mm above the bottom edge: less than 2.54 mm on a card with a stripe.
    assertThat(firstError(oneLine("GOTHIC", 10, 52.48, "{name}"), "4761739000000012", "ADA"))
        .isEqualTo(SurfaceCheck.Rule.NAME_AREA);
    SurfaceLayout five = parse("{\"name\":\"t\",\"emboss\":["
        + "{\"name\":\"a\",\"text\":\"A\",\"font\":\"GOTHIC\",\"x\":10,\"y\":36},"
        + "{\"name\":\"b\",\"text\":\"B\",\"font\":\"GOTHIC\",\"x\":10,\"y\":39},"
        + "{\"name\":\"c\",\"text\":\"C\",\"font\":\"GOTHIC\",\"x\":10,\"y\":42},"
        + "{\"name\":\"d\",\"text\":\"D\",\"font\":\"GOTHIC\",\"x\":10,\"y\":45},"
        + "{\"name\":\"e\",\"text\":\"E\",\"font\":\"GOTHIC\",\"x\":10,\"y\":48}]}");
    assertThatThrownBy(() -> five.plan(SurfaceFixtures.ada())).isInstanceOfSatisfying(
        SurfaceValidationException.class, e -> assertThat(e.checks()).extracting(SurfaceCheck::rule)
            .contains(SurfaceCheck.Rule.NAME_LENGTH, SurfaceCheck.Rule.NAME_AREA));
  }

  @Test
  void fontsFormOnlyTheirCharactersAndNothingIsEmbossedOverChipOrStripe() {
    assertThat(firstError(oneLine("FARRINGTON_7B", 8, 34.81, "{name}"), "4761739000000012", "ADA"))
        .isEqualTo(SurfaceCheck.Rule.FONT_CHARACTERS);
    assertThat(firstError(oneLine("GOTHIC", 10, 48, "{name}"), "4761739000000012", "ada"))
        .isEqualTo(SurfaceCheck.Rule.FONT_CHARACTERS);
    assertThat(firstError(oneLine("GOTHIC", 10, 12, "{name}"), "4761739000000012", "ADA"))
        .isEqualTo(SurfaceCheck.Rule.OVER_STRIPE);
    assertThat(firstError(oneLine("GOTHIC", 12, 24, "{name}"), "4761739000000012", "ADA"))
        .isEqualTo(SurfaceCheck.Rule.OVER_CHIP);
    assertThat(firstError(oneLine("GOTHIC", 80, 48, "{name}"), "4761739000000012", "ADA LOVELACE"))
        .isEqualTo(SurfaceCheck.Rule.OUTSIDE_CARD);
  }

  @Test
  void embossOverPrintWarnsAndTextOverflowShrinksOrFails() {
    SurfaceLayout over = parse("{\"name\":\"t\",\"front\":{\"panels\":\"K\",\"elements\":[{\"type\":\"text\","
        + "\"name\":\"motto\",\"text\":\"HELLO\",\"x\":10,\"y\":48,\"size\":8}]},"
        + "\"emboss\":[{\"name\":\"holder\",\"text\":\"{name:upper}\",\"font\":\"GOTHIC\",\"x\":10,\"y\":48}]}");
    SurfacePlan plan = over.plan(SurfaceFixtures.ada());
    assertThat(plan.warnings()).singleElement().satisfies(w -> {
      assertThat(w.rule()).isEqualTo(SurfaceCheck.Rule.EMBOSS_OVER_PRINT);
      assertThat(w.element()).isEqualTo("holder");
      assertThat(w.detail()).contains("motto");
    });
    String text = "{\"name\":\"t\",\"front\":{\"panels\":\"K\",\"elements\":[{\"type\":\"text\",\"name\":\"n\","
        + "\"text\":\"{name}\",\"x\":5,\"y\":10,\"size\":10,\"maxWidth\":30,\"overflow\":\"%s\"}]}}";
    SurfacePlan shrunk = parse(text.formatted("SHRINK")).plan(SurfaceFixtures.record("1", "1", "ADA LOVELACE BYRON"));
    assertThat(shrunk.textScale().get("n")).isBetween(0.5, 1.0);
    assertThatThrownBy(() -> parse(text.formatted("ERROR")).plan(SurfaceFixtures.record("1", "1", "ADA LOVELACE BYRON")))
        .isInstanceOfSatisfying(SurfaceValidationException.class, e -> {
          assertThat(e.checks().get(0).rule()).isEqualTo(SurfaceCheck.Rule.CONTENT);
          assertThat(e.field()).isEqualTo("card 1 surface.n");
        });
  }

  @Test
  void aMissingFieldNamesTheRecordAndTheField() {
    assertThatThrownBy(() -> debit.plan(dev.perso.core.record.CardRecord.builder("0009").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("card 0009 surface.pan");
          assertThat(e.rule()).contains("required");
        });
  }
}
