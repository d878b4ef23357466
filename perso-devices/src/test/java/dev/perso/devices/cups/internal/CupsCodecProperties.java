package dev.perso.devices.cups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.StripeData;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.Topping;
import dev.perso.devices.datacard.DatacardEscapes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The IPP message codec (RFC 8010 §3), the track escapes and the emboss escapes, as properties. */
class CupsCodecProperties {

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60);
  }

  /** A request's operation attributes decode back (request and response share the layout after the header). */
  @Property(tries = 500)
  void requestAttributesDecodeBack(@ForAll("text") String user, @ForAll("text") String name,
      @ForAll int jobId, @ForAll @IntRange(min = 1) int requestId, @ForAll @Size(max = 4) List<@From("text") String> keywords) {
    Ipp.Request r = new Ipp.Request(Ipp.GET_JOB_ATTRIBUTES, requestId)
        .text(Ipp.NAME, "requesting-user-name", user)
        .text(Ipp.NAME, "job-name", name)
        .integer("job-id", jobId);
    if (!keywords.isEmpty()) {
      r.text(Ipp.KEYWORD, "requested-attributes", keywords.toArray(new String[0]));
    }
    Ipp.Response d = Ipp.decode(r.encode());
    assertThat(d.version()).isEqualTo(0x0200);
    assertThat(d.status()).isEqualTo(Ipp.GET_JOB_ATTRIBUTES); // the operation id sits where a response has its status
    assertThat(d.requestId()).isEqualTo(requestId);
    assertThat(d.texts(Ipp.OPERATION_GROUP, "attributes-charset")).containsExactly("utf-8");
    assertThat(d.texts(Ipp.OPERATION_GROUP, "requesting-user-name")).containsExactly(user);
    assertThat(d.texts(Ipp.OPERATION_GROUP, "job-name")).containsExactly(name);
    assertThat(d.intValue(Ipp.OPERATION_GROUP, "job-id")).contains(jobId);
    assertThat(d.texts(Ipp.OPERATION_GROUP, "requested-attributes")).isEqualTo(keywords);
  }

  @Property(tries = 2000)
  void malformedMessagesGiveOnlyOurException(@ForAll @Size(max = 80) byte[] raw) {
    try {
      Ipp.Response r = Ipp.decode(raw);
      for (Ipp.Group g : r.groups()) {
        g.attributes().forEach((k, vs) -> vs.forEach(v -> {
          v.asText();
          if (v.bytes().length == 4) {
            v.asInt();
          }
        }));
      }
      r.intValue(Ipp.JOB_GROUP, "job-id");
    } catch (MalformedDataException expected) {
      // the only acceptable failure
    }
  }

  @Property(tries = 1000)
  void aValidMessageWithARandomTailGivesOnlyOurException(@ForAll @Size(max = 60) byte[] tail, @ForAll @IntRange(max = 40) int cut) {
    byte[] ok = new Ipp.Request(Ipp.PRINT_JOB, 1).text(Ipp.NAME, "job-name", "card").integer("job-id", 3).encode();
    byte[] b = new byte[Math.min(ok.length, cut + 8) + tail.length];
    System.arraycopy(ok, 0, b, 0, Math.min(ok.length, cut + 8));
    System.arraycopy(tail, 0, b, Math.min(ok.length, cut + 8), tail.length);
    try {
      Ipp.decode(b);
    } catch (MalformedDataException expected) {
      // fine
    }
  }

  /** Track escapes: sentinels around the data (notes magstripe-surface §3.4), or a ValidationException that hides the data. */
  @Property(tries = 1000)
  void trackEscapesWrapTheDataOrRefuseIt(@ForAll @IntRange(min = 1, max = 3) int track,
      @ForAll @Size(min = 1, max = 110) List<@IntRange(min = 0x20, max = 0x7E) Integer> chars) {
    StringBuilder sb = new StringBuilder();
    chars.forEach(c -> sb.append((char) c.intValue()));
    String data = sb.toString();
    StripeData s = StripeData.of(Map.of(track, Bytes.of(data.getBytes(StandardCharsets.US_ASCII))));
    try {
      List<String> lines = TrackEscapes.lines(s);
      assertThat(lines).containsExactly("~" + track + (track == 1 ? "%" : ";") + data + "?");
      assertThat(data.length() + 2).isLessThanOrEqualTo(track == 1 ? 78 : track == 2 ? 39 : 106);
    } catch (ValidationException e) {
      assertThat(e.getMessage()).contains("track " + track);
      if (data.length() > 3) {
        assertThat(e.getMessage()).doesNotContain(data);
      }
    }
  }

  /** Emboss escapes give the offsets in mils within 0.5 mil of the millimetre position, or a typed refusal. */
  @Property(tries = 1000)
  void embossOffsetsAreMilsOrRefused(@ForAll @DoubleRange(max = 85.6) double x, @ForAll @DoubleRange(max = 53.98) double y,
      @ForAll Topping topping) {
    DatacardEscapes esc = DatacardEscapes.builder().build();
    try {
      String e = esc.escapes(List.of(new EmbossLine("NAME", EmbossFont.GOTHIC, x, y, topping)), List.of()).get(0);
      String[] f = e.substring("~EM%".length()).split(";");
      assertThat(f[0]).isEqualTo("2");
      assertThat(Integer.parseInt(f[1])).isCloseTo((int) Math.round((x + 1.27) / 0.0254), org.assertj.core.data.Offset.offset(1));
      assertThat(Integer.parseInt(f[2])).isCloseTo((int) Math.round((53.98 - y + 1.5) / 0.0254), org.assertj.core.data.Offset.offset(1));
      assertThat(Integer.parseInt(f[1])).isBetween(topping == Topping.NONE ? 100 : 280, topping == Topping.NONE ? 3275 : 3025);
    } catch (ValidationException expected) {
      assertThat(expected.getMessage()).contains("offset");
    }
  }
}
