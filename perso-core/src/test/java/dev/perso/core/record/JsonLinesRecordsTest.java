package dev.perso.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.PersoException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class JsonLinesRecordsTest {

  private static List<RecordInput> read(byte[] bytes) {
    List<RecordInput> out = new ArrayList<>();
    try (RecordSource s = JsonLinesRecords.of(new ByteArrayInputStream(bytes), "batch.jsonl")) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  private static List<RecordInput> read(String text) {
    return read(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsIdAndSectionsAndSkipsBlankLines() {
    List<RecordInput> in = read("{\"cardId\":\"0001\",\"magstripe\":{\"pan\":\"x\"},\"applications\":[]}\n\n"
        + "{\"cardId\":\"0002\",\"surface\":{\"line1\":\"A\"}}\r\n");
    assertThat(in).hasSize(2);
    CardRecord r = ((RecordInput.Read) in.get(0)).record();
    assertThat(r.id()).isEqualTo("0001");
    assertThat(r.sectionNames()).containsExactly("magstripe", "applications");
    assertThat(r.location()).isEqualTo("batch.jsonl:1");
    assertThat(in.get(1).location()).isEqualTo("batch.jsonl:3");
    assertThat(r.toString()).isEqualTo("record 0001 [magstripe, applications]");
  }

  @Test
  void twoRecordsOnOneLineAreRejectedNotHalfRead() {
    List<RecordInput> in = read("{\"cardId\":\"1\",\"m\":{}} {\"cardId\":\"2\",\"m\":{}}\n{\"cardId\":\"3\",\"m\":{}}\n");
    assertThat(in.get(0)).isInstanceOf(RecordInput.Rejected.class);
    assertThat(((RecordInput.Rejected) in.get(0)).reason()).hasMessageContaining("batch.jsonl:1")
        .hasMessageContaining("more than one JSON value");
    assertThat(((RecordInput.Read) in.get(1)).record().id()).isEqualTo("3");
  }

  @Test
  void trailingGarbageAndDuplicateMembersAreRejectedNamingTheLine() {
    List<RecordInput> in = read("{\"cardId\":\"1\",\"m\":{}}x\n{\"cardId\":\"2\",\"cardId\":\"3\"}\n"
        + "{\"cardId\":\"4\",\"m\":{\"pan\":\"1\",\"pan\":\"2\"}}\n");
    assertThat(in).allMatch(i -> i instanceof RecordInput.Rejected);
    assertThat(((RecordInput.Rejected) in.get(1)).reason()).hasMessageContaining("batch.jsonl:2")
        .hasMessageContaining("appears twice");
    assertThat(((RecordInput.Rejected) in.get(2)).reason()).hasMessageContaining("batch.jsonl:3");
  }

  @Test
  void aLineWithABadByteIsRejectedAndTheNextOnesAreRead() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("{\"cardId\":\"1\",\"m\":{}}\n".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {'{', '"', 'c', (byte) 0xC3, 0x28, '"', '}', '\n'});
    b.writeBytes("{\"cardId\":\"3\",\"m\":{}}\n".getBytes(StandardCharsets.UTF_8));
    List<RecordInput> in = read(b.toByteArray());
    assertThat(in).hasSize(3);
    assertThat(((RecordInput.Rejected) in.get(1)).reason()).hasMessageContaining("batch.jsonl:2")
        .hasMessageContaining("not UTF-8 at byte 3");
    assertThat(((RecordInput.Read) in.get(2)).record().id()).isEqualTo("3");
  }

  @Test
  void messagesNeverQuoteTheLine() {
    List<RecordInput> in = read("{\"cardId\":\"1\",\"magstripe\":{\"pan\":\"4761739001010010\"} trailing\n");
    assertThat(((RecordInput.Rejected) in.get(0)).reason().getMessage()).doesNotContain("4761739001010010");
  }

  @Test
  void aSectionMustBeAnObjectOrArrayAndTheIdAString() {
    List<RecordInput> in = read("{\"cardId\":\"1\",\"magstripe\":\"x\"}\n{\"cardId\":7}\n{\"m\":{}}\n[]\n");
    assertThat(in).allMatch(i -> i instanceof RecordInput.Rejected);
    assertThat(((RecordInput.Rejected) in.get(0)).reason()).hasMessageContaining("magstripe");
    assertThat(((RecordInput.Rejected) in.get(1)).reason()).hasMessageContaining("cardId");
  }

  @Property
  void writtenRecordsReadBackEqual(@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 20) String id,
      @ForAll @StringLength(max = 40) String value) {
    CardRecord r = CardRecord.builder(id)
        .section("magstripe", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", value))
        .build();
    String line = JsonLinesRecords.toJsonLine(r);
    assertThat(JsonLinesRecords.parseLine(line, "x:1")).isEqualTo(r);
  }

  @Property
  void anyBytesGiveRecordsOrTypedRejectionsNeverAnotherError(@ForAll byte[] bytes) {
    List<RecordInput> in = read(bytes);
    assertThat(in).allMatch(i -> i instanceof RecordInput.Read
        || ((RecordInput.Rejected) i).reason() instanceof PersoException);
  }
}
