package dev.perso.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aDirectoryOrAMissingFileIsOneClearTransportError(@TempDir Path dir) {
    assertThatThrownBy(() -> JsonLinesRecords.open(dir)).isInstanceOf(TransportException.class)
        .hasMessageContaining("it is a directory");
    assertThatThrownBy(() -> JsonLinesRecords.open(dir.resolve("nope.jsonl"))).isInstanceOf(TransportException.class)
        .hasMessageContaining("nope.jsonl: no such file");
  }

  @Test
  void anInputThatFailsWhileReadingEndsTheReadWithATransportErrorNotARejection() {
    byte[] first = "{\"cardId\":\"1\",\"m\":{}}\n".getBytes(StandardCharsets.UTF_8);
    InputStream failing = new SequenceInputStream(new ByteArrayInputStream(first), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("Input/output error");
      }
    });
    try (RecordSource s = JsonLinesRecords.of(failing, "batch.jsonl")) {
      assertThat(((RecordInput.Read) s.next()).record().id()).isEqualTo("1");
      assertThatThrownBy(s::hasNext).isInstanceOf(TransportException.class)
          .hasMessage("cannot read batch.jsonl at line 2: Input/output error");
    }
  }

  @Test
  void theLineCapIsConfigurableAndNamedInTheRejection() {
    String longLine = "{\"cardId\":\"1\",\"m\":{\"pad\":\"" + "x".repeat(100) + "\"}}\n";
    List<RecordInput> in = new ArrayList<>();
    try (RecordSource s = JsonLinesRecords.of(new ByteArrayInputStream((longLine + "{\"cardId\":\"2\",\"m\":{}}\n")
        .getBytes(StandardCharsets.UTF_8)), "batch.jsonl", 64)) {
      s.forEachRemaining(in::add);
    }
    assertThat(((RecordInput.Rejected) in.get(0)).reason()).isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("batch.jsonl:1: line longer than the maximum line length of 64 bytes (maxLineBytes)");
    assertThat(((RecordInput.Read) in.get(1)).record().id()).isEqualTo("2");
    assertThat(read(longLine)).singleElement().isInstanceOf(RecordInput.Read.class);   // default cap: 1 MiB
    assertThatThrownBy(() -> JsonLinesRecords.of(new ByteArrayInputStream(new byte[0]), "x", 0))
        .isInstanceOf(ValidationException.class).hasMessageContaining("maxLineBytes");
  }

  @Test
  void aLineOverTheDefaultCapIsRejectedAndReadingGoesOn() {
    byte[] big = new byte[LineRecordSource.DEFAULT_MAX_LINE_BYTES + 10];
    java.util.Arrays.fill(big, (byte) ' ');
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(big);
    b.writeBytes("\n{\"cardId\":\"2\",\"m\":{}}\n".getBytes(StandardCharsets.UTF_8));
    List<RecordInput> in = read(b.toByteArray());
    assertThat(((RecordInput.Rejected) in.get(0)).reason()).hasMessageContaining("1048576 bytes");
    assertThat(((RecordInput.Read) in.get(1)).record().location()).isEqualTo("batch.jsonl:2");
  }

  @Test
  void invalidUtf8InTheMiddleOfABatchRejectsThatLineOnly() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 1; i <= 5; i++) {
      b.writeBytes(("{\"cardId\":\"" + i + "\",\"magstripe\":{\"name\":\"").getBytes(StandardCharsets.UTF_8));
      b.writeBytes(i == 3 ? new byte[] {'M', (byte) 0xE9, 'L'} : "M\u00c9L".getBytes(StandardCharsets.UTF_8));
      b.writeBytes("\"}}\n".getBytes(StandardCharsets.UTF_8));
    }
    List<RecordInput> in = read(b.toByteArray());
    assertThat(in).hasSize(5);
    assertThat(in).filteredOn(i -> i instanceof RecordInput.Rejected).singleElement()
        .satisfies(r -> assertThat(r.location()).isEqualTo("batch.jsonl:3"));
    assertThat(((RecordInput.Read) in.get(3)).record().section("magstripe").orElseThrow().get("name").asText())
        .isEqualTo("M\u00c9L");
  }

  @Test
  void sectionErrorsNameTheLineAndTheCard() {
    List<RecordInput> in = read("{\"cardId\":\"0007\",\"magstripe\":3}\n");
    assertThat(((RecordInput.Rejected) in.get(0)).reason())
        .hasMessage("batch.jsonl:1 card 0007 magstripe: a section must be a JSON object or array");
    assertThat(((RecordInput.Rejected) in.get(0)).cardId()).isEqualTo("0007");
  }

  @Test
  void duplicateMembersAtAnyDepthAndTrailingGarbageAreRejected() {
    List<RecordInput> in = read("{\"cardId\":\"1\",\"a\":[{\"x\":1,\"x\":2}]}\n{\"cardId\":\"2\",\"m\":{}} ,\n"
        + "{\"cardId\":\"3\",\"m\":{}}]\n{\"cardId\":\"4\",\"m\":{}}\n");
    assertThat(in).hasSize(4);
    assertThat(in.subList(0, 3)).allMatch(i -> i instanceof RecordInput.Rejected);
    assertThat(((RecordInput.Rejected) in.get(0)).reason()).hasMessageContaining("appears twice");
    assertThat(((RecordInput.Read) in.get(3)).record().id()).isEqualTo("4");
  }
}
