package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.record.CardRecord;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class MemoryImageProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Non-overlapping segments survive toJson/fromJson, sorted by address. */
  @Property(tries = 300)
  void jsonRoundTrip(@ForAll @Size(max = 8) List<@Size(min = 1, max = 20) byte[]> parts,
      @ForAll @IntRange(max = 30) int gap) {
    MemoryImage.Builder b = MemoryImage.builder();
    int at = gap;
    for (byte[] p : parts) {
      b.put(at, Bytes.of(p));
      at += p.length + gap;
    }
    MemoryImage image = b.build();
    assertThat(MemoryImage.fromJson(image.toJson(), "x")).isEqualTo(image);
    assertThat(image.byteCount()).isEqualTo(parts.stream().mapToInt(p -> p.length).sum());
  }

  /** Anything in a record's memory section gives a section or our exception, never another one. */
  @Property(tries = 500)
  void malformedSectionsGiveOnlyOurException(@ForAll("sections") String json, @ForAll("chips") MemoryChip chip)
      throws Exception {
    JsonNode tree = JSON.readTree(json);
    try {
      CardRecord r = CardRecord.builder("0001").section("memory", tree).build();
      MemorySection s = MemorySection.decode(r, chip);
      s.data().check(chip);
      s.code().ifPresent(c -> assertThat(c.length()).isEqualTo(chip.codeLength()));
      assertThat(s.toString()).doesNotContain("\"code\"");
    } catch (PersoException expected) {
      // the only acceptable failure
    }
  }

  @Provide
  Arbitrary<MemoryChip> chips() {
    return Arbitraries.of(MemoryChip.SLE4442, MemoryChip.SLE4428, MemoryChip.AT24C02);
  }

  @Provide
  Arbitrary<String> sections() {
    Arbitrary<String> address = Arbitraries.oneOf(Arbitraries.integers().between(-5, 1100).map(String::valueOf),
        Arbitraries.of("\"12\"", "1.5", "null", "[]", "99999999999"));
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789ABCDEFGZ ").ofMaxLength(12)
        .map(s -> "\"" + s + "\""), Arbitraries.of("1", "null", "{}", "\"\\u00e9\""));
    Arbitrary<String> member = Arbitraries.of("hex", "text", "other");
    Arbitrary<String> segment = net.jqwik.api.Combinators.combine(address, member, value, member, value)
        .as((a, m1, v1, m2, v2) -> "{\"address\":" + a + ",\"" + m1 + "\":" + v1
            + (m1.equals(m2) ? "" : ",\"" + m2 + "\":" + v2) + "}");
    Arbitrary<String> data = Arbitraries.oneOf(segment.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
        Arbitraries.of("{}", "1", "\"x\""));
    Arbitrary<String> code = Arbitraries.of("", ",\"code\":\"FFFFFF\"", ",\"code\":\"FFFF\"", ",\"code\":\"XYZ\"",
        ",\"code\":7", ",\"extra\":1");
    return net.jqwik.api.Combinators.combine(data, code).as((d, c) -> "{\"data\":" + d + c + "}");
  }
}
