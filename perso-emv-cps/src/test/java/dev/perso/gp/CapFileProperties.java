package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** CAP parsing: what the builder writes reads back; any damage gives a {@link CapFormatException}. */
class CapFileProperties {
  @Provide
  Arbitrary<Bytes> aids() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(5).ofMaxSize(16).map(Bytes::of);
  }

  @Property(tries = 200)
  void roundTrip(@ForAll("aids") Bytes pkg, @ForAll @Size(max = 4) List<@net.jqwik.api.From("aids") Bytes> applets,
      @ForAll @Size(max = 4) List<@net.jqwik.api.From("aids") Bytes> imports) {
    CapFile cap = CapFile.parse(TestCaps.cap("a/b", pkg, applets, imports));
    assertThat(cap.packageAid()).isEqualTo(pkg);
    assertThat(cap.applets()).isEqualTo(applets);
    assertThat(cap.imports()).extracting(CapFile.Import::aid).isEqualTo(imports);
    assertThat(CapFile.parse(CapFile.write("a/b", cap.components())).loadFileDataBlock(true))
        .isEqualTo(cap.loadFileDataBlock(true));
  }

  @Property(tries = 300)
  void damagedComponentsGiveOurException(@ForAll("aids") Bytes pkg, @ForAll @IntRange(min = 0, max = 9) int which,
      @ForAll @IntRange(min = 0, max = 40) int at, @ForAll byte value, @ForAll boolean truncate) {
    var m = new java.util.EnumMap<>(TestCaps.components(pkg, List.of(Bytes.fromHex("A000000001AA")), List.of()));
    CapFile.Component c = List.copyOf(m.keySet()).get(which % m.size());
    Bytes b = m.get(c);
    int p = at % b.length();
    byte[] raw = b.toByteArray();
    raw[p] = value;
    m.put(c, truncate ? Bytes.of(raw).slice(0, p) : Bytes.of(raw));
    try {
      CapFile.parse(CapFile.write("a/b", m));
    } catch (MalformedDataException e) {
      assertThat(e).isInstanceOf(CapFormatException.class);
    }
  }

  @Property(tries = 300)
  void arbitraryBytesGiveOurException(@ForAll @Size(max = 300) byte[] junk, @ForAll boolean zipHeader) {
    byte[] in = junk;
    if (zipHeader && junk.length >= 4) {
      in = junk.clone();
      in[0] = 'P';
      in[1] = 'K';
      in[2] = 3;
      in[3] = 4;
    }
    try {
      CapFile.parse(in);
    } catch (MalformedDataException e) {
      assertThat(e).isInstanceOf(CapFormatException.class);
    }
  }
}
