package dev.perso.samples.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.StripeData;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.emv.cps.CardProfile;
import dev.perso.samples.prep.DemoKeys;
import dev.perso.gp.Cplc;
import dev.perso.gp.card.VirtualIsd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual cards carried between runs keep their chip identity and nothing else. */
class VirtualHopperFileTest {
  /** kaoh/globalplatform getDataTest.c vector 1 (VirtualIsd's example), numbered as the CPS stock numbers blanks. */
  private static Cplc numbered(int serial) {
    return VirtualIsd.EXAMPLE_CPLC.with(Cplc.Field.IC_SERIAL_NUMBER, Bytes.fromHex(String.format("%08X", serial)));
  }

  private static PhysicalCard issued(long serial, VirtualCard chip) {
    return new PhysicalCard(new CardTag(serial, "000" + serial), "mx-1", PhysicalCard.Location.OUTPUT_HOPPER,
        StripeData.of(Map.of(2, Bytes.fromHex("3B"))), Optional.ofNullable(chip), List.of(), List.of(), List.of(),
        List.of(), List.of("chip-1"));
  }

  private static final CryptoBackend CRYPTO = new SoftwareBackend();

  /** A virtual EMV blank whose ISD answers GET DATA 9F7F with this CPLC. */
  private static VirtualCard chip(Cplc cplc) {
    return VirtualEmvCard.builder(CRYPTO, DemoKeys.lookup().key("demo-kmc"), CardProfile.example("vsdc-example"))
        .cplc(cplc).build();
  }

  @Test
  void cardsKeepTheirChipIdentityAndOrderAndNothingElse(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("out.jsonl");
    VirtualHopperFile.append(file, List.of(issued(1, chip(numbered(1))), issued(2, null)));
    VirtualHopperFile.append(file, List.of(issued(3, chip(numbered(3)))));
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).containsExactly("{\"cplc\":\"" + numbered(1).encode().toHex() + "\"}", "{}",
        "{\"cplc\":\"" + numbered(3).encode().toHex() + "\"}");
    assertThat(String.join("", lines)).doesNotContain("record").doesNotContain("stripe");

    List<PhysicalCard> back = VirtualHopperFile.read(file);
    assertThat(back).hasSize(3);
    VirtualCard first = back.get(0).chip().orElseThrow();
    first.reset();
    assertThat(Cplc.read(VirtualCard.connect(first)).orElseThrow()).isEqualTo(numbered(1));
    assertThat(back.get(1).chip()).isEmpty();
    assertThat(back.get(2).stripe().tracks()).isEmpty();
    // the identity is all the chip keeps: no application answers
    assertThat(first.process(dev.perso.core.apdu.CommandApdu.of(0x00, 0xA4, 0x04, 0x00,
        Bytes.fromHex("A0000000031010"), 256)).sw().value()).isEqualTo(0x6A82);
  }

  @Test
  void aBadLineIsRefusedNamingTheFileAndLine(@TempDir Path dir) throws IOException {
    String[][] cases = {
        {"not json", "h.jsonl:2", "not a JSON object"},
        {"[1]", "h.jsonl:2", "not a JSON object"},
        {"{\"record\": \"0001\"}", "h.jsonl:2 record", "unknown member"},
        {"{\"cplc\": \"9F7F01\"}", "h.jsonl:2 cplc", "must be 9F7F2A and 42 bytes"},
        {"{\"cplc\": \"zz\"}", "h.jsonl:2 cplc", "must be 9F7F2A and 42 bytes"},
    };
    for (String[] c : cases) {
      Path file = Files.writeString(dir.resolve("h.jsonl"), "{}\n" + c[0] + "\n", StandardCharsets.UTF_8);
      assertThatThrownBy(() -> VirtualHopperFile.read(file), c[0]).isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(c[1]))
          .hasMessageContaining(c[2]);
    }
    assertThatThrownBy(() -> VirtualHopperFile.read(dir.resolve("none.jsonl")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("cannot read virtual hopper");
  }

  @Property(tries = 300)
  void anyLineIsACardOrAValidationException(@ForAll String line) throws IOException {
    Path file = Files.createTempFile("hopper", ".jsonl");
    try {
      Files.writeString(file, line, StandardCharsets.UTF_8);
      try {
        VirtualHopperFile.read(file);
      } catch (ValidationException expected) {
        // malformed input: our exception, naming the line
      }
    } finally {
      Files.delete(file);
    }
  }
}
