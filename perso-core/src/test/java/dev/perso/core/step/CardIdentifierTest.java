package dev.perso.core.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.CardIdentificationException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CodeScanner;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.ScannedCode;
import dev.perso.core.record.CardRecord;
import dev.perso.core.surface.Side;
import dev.perso.core.testing.TestStepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A printed code as a card's identifier: the code of the symbology asked for, on the side asked for. */
class CardIdentifierTest {

  /** A scanner that sees the codes the test puts on each side, and records what it was asked. */
  private static final class SeenCodes implements CodeScanner {
    final Map<Side, List<ScannedCode>> sides;
    final List<String> asked = new ArrayList<>();

    SeenCodes(Map<Side, List<ScannedCode>> sides) {
      this.sides = sides;
    }

    @Override
    public List<ScannedCode> scan(CardTag card, Side side) {
      asked.add(card.recordId() + " " + side);
      return sides.getOrDefault(side, List.of());
    }

    @Override
    public String id() {
      return "test:scanner";
    }

    @Override
    public DeviceStatus status() {
      return DeviceStatus.ready();
    }

    @Override
    public void close() {}
  }

  private static TestStepContext card(SeenCodes scanner) {
    return new TestStepContext(CardRecord.builder("0007").location("batch.jsonl:7").build())
        .device(DeviceRole.CODE_SCANNER, scanner);
  }

  @Test
  void readsTheCodeOfTheSymbologyOnTheSideAndDerivesTheIdentifier() {
    SeenCodes scanner = new SeenCodes(Map.of(Side.FRONT, List.of(new ScannedCode("CODE_128", "REF-9"),
        new ScannedCode("QR_CODE", "0007"), new ScannedCode("QR_CODE", "0007")), Side.BACK,
        List.of(new ScannedCode("QR_CODE", "back"))));
    CardIdentifier printed = CardIdentifier.printed(Side.FRONT, "QR_CODE");

    assertThat(printed.role()).isEqualTo(DeviceRole.CODE_SCANNER);
    assertThat(printed.roles()).containsExactly(DeviceRole.CODE_SCANNER);
    assertThat(printed.read(card(scanner))).isEqualTo("0007");   // the same code twice is one code
    assertThat(scanner.asked).containsExactly("0007 FRONT");
    assertThat(CardIdentifier.printed(Side.FRONT, "CODE_128", t -> t.substring(4)).read(card(scanner)))
        .isEqualTo("9");
    assertThat(CardIdentifier.printed(Side.FRONT, "DATA_MATRIX").read(card(scanner))).isEmpty();
    assertThat(CardIdentifier.printed(Side.BACK, "QR_CODE", t -> null).read(card(scanner))).isEmpty();
  }

  @Test
  void twoDifferentCodesOfTheSymbologyIdentifyNothing() {
    SeenCodes scanner = new SeenCodes(Map.of(Side.FRONT, List.of(new ScannedCode("QR_CODE", "0007"),
        new ScannedCode("QR_CODE", "0008"))));
    assertThatThrownBy(() -> CardIdentifier.printed(Side.FRONT, "QR_CODE").read(card(scanner)))
        .isInstanceOf(CardIdentificationException.class).hasMessageContaining("2 different QR_CODE codes on its front")
        .hasMessageNotContaining("0008");
  }

  @Test
  void aCodeThatCarriesACardNumberIsRefusedNeverRemembered() {
    // 4761739001010010: a Visa test PAN (BIN 476173) with a valid Luhn check digit
    SeenCodes scanner = new SeenCodes(Map.of(Side.FRONT, List.of(new ScannedCode("QR_CODE", "4761739001010010"))));
    assertThatThrownBy(() -> CardIdentifier.printed(Side.FRONT, "QR_CODE").read(card(scanner)))
        .isInstanceOf(CardIdentificationException.class).hasMessageContaining("never the PAN")
        .hasMessageNotContaining("4761739001010010");
    // the same digits with a wrong check digit are an identifier like any other
    SeenCodes other = new SeenCodes(Map.of(Side.FRONT, List.of(new ScannedCode("QR_CODE", "4761739001010011"))));
    assertThat(CardIdentifier.printed(Side.FRONT, "QR_CODE").read(card(other))).isEqualTo("4761739001010011");
  }

  @Test
  void aSymbologyIsCheckedAndACodePrintsWithoutItsText() {
    assertThatThrownBy(() -> CardIdentifier.printed(Side.FRONT, "qr code")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("symbology");
    assertThat(new ScannedCode("QR_CODE", "4761739001010010").toString()).isEqualTo("QR_CODE code (16 characters)");
  }
}
