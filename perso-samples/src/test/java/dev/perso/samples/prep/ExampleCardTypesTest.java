package dev.perso.samples.prep;

import dev.perso.emv.prep.CardDataPreparation;
import dev.perso.emv.prep.Cardholder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.step.CardType;
import dev.perso.core.step.StepEnvironment;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.emv.cps.CpsStep;
import dev.perso.emv.cps.ExampleCardTypes;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.StripeRecord;
import dev.perso.iso7813.step.MagStripeStep;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleCardTypesTest {
  private static final CryptoBackend CRYPTO = new SoftwareBackend();

  private static StepEnvironment env(Path base) {
    return StepEnvironment.builder(base).service(CryptoBackend.class, CRYPTO)
        .service(KeyLookup.class, DemoKeys.lookup()).build();
  }

  private static Cardholder cardholder() {
    // Visa test PAN 4761739001010010 (pyemv's tests).
    return new Cardholder("0001", StripeRecord.builder().pan("4761739001010010").name(Name.of("Cardmember", "Test"))
        .expiry("2912").serviceCode("201").pvki(1).pin("1234").build(), "01");
  }

  @Test
  void debitExampleIsStripeThenVerifiedChipAndValidatesWhatDataPreparationMakes() {
    CardType debit = ExampleCardTypes.load("debit-example", env(Path.of(".")));
    assertThat(debit.name()).isEqualTo("debit-example");
    assertThat(debit.steps()).hasSize(5);
    assertThat(debit.steps().get(0)).isInstanceOf(MagStripeStep.class);
    assertThat(((CpsStep) debit.steps().get(1)).verifies()).isTrue();
    assertThat(debit.roles()).containsExactly(DeviceRole.MAG_STRIPE_ENCODER, DeviceRole.CHIP_STATION,
        DeviceRole.PRINTER, DeviceRole.EMBOSSER, DeviceRole.INDENTER);
    assertThat(debit.virtualCardStock()).isPresent();

    CardRecord record = CardDataPreparation.builder(CRYPTO, DemoKeys.lookup().issuerKeys()).sections(debit.sections())
        .build().prepare(cardholder());
    debit.validate(JsonLinesRecords.parseLine(JsonLinesRecords.toJsonLine(record), "batch.jsonl:1"));
    assertThat(((MagStripeStep) debit.steps().get(0)).tracks(record).track2().orElseThrow().text())
        .startsWith(";4761739001010010=2912201");
  }

  @Test
  void chipExampleRecordsHaveNoStripeAndDebitRecordsAreRejectedNamingTheSection() {
    StepEnvironment env = env(Path.of("."));
    CardType chip = ExampleCardTypes.load("chip-example", env);
    CardRecord chipRecord = CardDataPreparation.builder(CRYPTO, DemoKeys.lookup().issuerKeys()).sections(chip.sections())
        .build().prepare(cardholder());
    assertThat(chipRecord.has("magstripe")).isFalse();
    chip.validate(chipRecord);
    CardRecord debitRecord = CardDataPreparation.builder(CRYPTO, DemoKeys.lookup().issuerKeys()).build()
        .prepare(cardholder());
    assertThatThrownBy(() -> chip.validate(debitRecord)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.field()).isEqualTo("card 0001 magstripe"));
  }

  @Test
  void cardTypeFilesWithTyposAreRejectedNamingFileAndJsonPath(@TempDir Path dir) throws Exception {
    StepEnvironment env = env(dir);
    Path typo = dir.resolve("typo.json");
    Files.writeString(typo, ExampleCardTypes.text("debit-example").replace("\"verify\"", "\"keyVerison\": 1, \"verify\""));
    assertThatThrownBy(() -> ExampleCardTypes.load(typo.toString(), env))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("typo.json $.steps[1].keyVerison");
          assertThat(e.rule()).contains("unknown member");
        });
    Path unknownType = dir.resolve("unknown.json");
    Files.writeString(unknownType, ExampleCardTypes.text("chip-example").replace("\"emv-cps\"", "\"emv-cpz\""));
    assertThatThrownBy(() -> ExampleCardTypes.load(unknownType.toString(), env))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("unknown.json $.steps[0].type");
          assertThat(e.rule()).contains("emv-cpz").contains("magstripe").contains("emv-cps");
        });
    Path badKey = dir.resolve("key.json");
    Files.writeString(badKey, ExampleCardTypes.text("chip-example").replace("demo-kmc", "prod-kmc"));
    assertThatThrownBy(() -> ExampleCardTypes.load(badKey.toString(), env))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("key.json $.steps[0].kmc");
          assertThat(e.rule()).contains("prod-kmc");
        });
    assertThatThrownBy(() -> ExampleCardTypes.load("credit-example", env))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("debit-example"));
  }

  @Test
  void aCardTypeFileNamesItsOwnProfileFileRelativeToTheBaseFolderAndMayOverrideTheKeyVersion(@TempDir Path dir)
      throws Exception {
    try (java.io.InputStream shipped = dev.perso.emv.cps.CardProfile.class
        .getResourceAsStream("profiles/vsdc-example.json")) {
      Files.write(dir.resolve("my-profile.json"), shipped.readAllBytes());
    }
    Path file = dir.resolve("mine.json");
    Files.writeString(file, ExampleCardTypes.text("chip-example").replace("\"vsdc-example\"", "\"my-profile.json\"")
        .replace("\"transportKeys\"", "\"keyVersion\": 32, \"transportKeys\""));
    CardType mine = ExampleCardTypes.load(file.toString(), env(dir));
    assertThat(((CpsStep) mine.steps().get(0)).profile().secureChannel().keyVersion()).isEqualTo(32);
    Files.writeString(file, ExampleCardTypes.text("chip-example").replace("\"vsdc-example\"", "\"missing.json\""));
    assertThatThrownBy(() -> ExampleCardTypes.load(file.toString(), env(dir)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("mine.json $.steps[0].profile"));
  }
}
