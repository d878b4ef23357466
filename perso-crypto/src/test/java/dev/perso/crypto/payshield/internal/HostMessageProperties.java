package dev.perso.crypto.payshield.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.crypto.payshield.testing.TestPayShield;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Frame codec and field reader of the payShield host protocol (notes/payshield.md §1). */
class HostMessageProperties {
  static final TestPayShield HSM = TestPayShield.start();

  @AfterContainer
  static void stop() {
    HSM.close();
  }

  @Provide
  Arbitrary<String> printable() {
    return Arbitraries.strings().withCharRange(' ', '~');
  }

  @Property
  void framesRoundTrip(@ForAll @IntRange(max = 12) int headerLength, @ForAll("printable") String anyHeader,
      @ForAll @Size(max = 300) byte[] body) {
    String header = (anyHeader + "0".repeat(headerLength)).substring(0, headerLength);
    HostMessage m = new HostMessage(header, "M6", body);
    byte[] wire = m.encode();
    assertThat(((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF)).isEqualTo(wire.length - 2);
    assertThat(HostMessage.decode(Arrays.copyOfRange(wire, 2, wire.length), headerLength)).isEqualTo(m);
  }

  @Property
  void malformedFramesGiveOurTypedException(@ForAll @Size(max = 40) byte[] payload,
      @ForAll @IntRange(max = 12) int headerLength) {
    try {
      HostMessage m = HostMessage.decode(payload, headerLength);
      assertThat(m.code()).hasSize(2);
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, payload.length);
    }
  }

  @Property
  void malformedFieldsGiveOurTypedException(@ForAll @Size(max = 60) byte[] body) {
    Fields.Reader r = new Fields.Reader(body);
    try {
      r.key("key");
      r.hexNumber(4, "length");
      r.decimal(2, "n");
      r.hex(16, "iv");
      r.end("X");
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, body.length);
    }
  }

  @Property
  void keyFieldsRoundTrip(@ForAll("keyFields") String key) {
    Fields.Reader r = new Fields.Reader((key + "0001").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(r.key("key")).isEqualTo(key);
    assertThat(r.hexNumber(4, "length")).isEqualTo(1);
  }

  @Provide
  Arbitrary<String> keyFields() {
    Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789ABCDEF").ofLength(48);
    return Arbitraries.oneOf(hex.map(h -> "U" + h.substring(0, 32)), hex.map(h -> "T" + h),
        hex.map(h -> h.substring(0, 16)), hex.map(h -> "X" + h.substring(0, 32)));
  }

  /** The emulator answers any request with a well-formed frame and never fails (notes §1-2). */
  @Property(tries = 300)
  void theTestHsmAnswersEveryPayloadWithAFrame(@ForAll("requests") byte[] payload) {
    try {
      byte[] a = HSM.respond(payload);
      assertThat(((a[0] & 0xFF) << 8) | (a[1] & 0xFF)).isEqualTo(a.length - 2);
      HostMessage m = HostMessage.decode(Arrays.copyOfRange(a, 2, a.length), 4);
      assertThat(new String(m.body(), 0, 2, java.nio.charset.StandardCharsets.US_ASCII)).matches("[0-9]{2}");
    } catch (PersoException e) {
      throw new AssertionError("the emulator threw " + e, e);
    }
  }

  @Provide
  Arbitrary<byte[]> requests() {
    Arbitrary<String> code = Arbitraries.of("NC", "A0", "A6", "A8", "BU", "CW", "CY", "DG", "DE", "BA", "M0", "M2", "M4",
        "M6", "M8", "XK", "XD", "XT", "B2", "QQ");
    Arbitrary<String> tail = Arbitraries.strings().withChars("0123456789ABCDEFUTXZ;N").ofMaxLength(80);
    return code.flatMap(c -> tail.map(t -> ("0000" + c + t).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }
}
