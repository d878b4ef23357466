package dev.perso.devices.atr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class AtrProperties {

  @Property(tries = 2000)
  void parserThrowsOnlyOurException(@ForAll @Size(max = 40) byte[] raw) {
    try {
      Atr a = Atr.parse(Bytes.of(raw));
      a.describe();
      a.historical().toString();
      a.ifsc();
      a.edc();
      a.voltageClasses();
    } catch (MalformedDataException expected) {
      // the only acceptable failure
    }
  }

  @Property(tries = 2000)
  void mostlyValidPrefixStillOnlyOurException(@ForAll("nearlyAtr") byte[] raw) {
    try {
      Atr.parse(Bytes.of(raw)).describe();
    } catch (MalformedDataException expected) {
      // fine
    }
  }

  @Provide
  Arbitrary<byte[]> nearlyAtr() {
    Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofMaxSize(31);
    return Combinators.combine(Arbitraries.of((byte) 0x3B, (byte) 0x3F, (byte) 0x03), tail).as((ts, t) -> {
      byte[] b = new byte[t.length + 1];
      b[0] = ts;
      System.arraycopy(t, 0, b, 1, t.length);
      return b;
    });
  }

  /** A well-formed ATR built from random groups parses back to the same groups and historical bytes. */
  @Property(tries = 1000)
  void buildThenParse(@ForAll("groups") List<int[]> groups, @ForAll @Size(max = 15) byte[] hist) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x3B);
    // Link the groups: each TD announces the next group's presence bits and protocol T=1.
    int[][] g = groups.toArray(new int[0][]);
    int t0 = presence(g[0]) | hist.length;
    if (g.length > 1) {
      t0 |= 0x80;
    }
    out.write(t0);
    boolean tck = false;
    for (int i = 0; i < g.length; i++) {
      int[] x = g[i];
      for (int j = 0; j < 3; j++) {
        if (x[j] >= 0) {
          out.write(x[j]);
        }
      }
      if (i + 1 < g.length) {
        int td = (presence(g[i + 1]) | (i + 2 < g.length ? 0x80 : 0)) | 1;
        tck = true;
        out.write(td);
      }
    }
    out.writeBytes(hist);
    byte[] noTck = out.toByteArray();
    Bytes atr;
    if (tck) {
      int x = 0;
      for (int i = 1; i < noTck.length; i++) {
        x ^= noTck[i];
      }
      atr = Bytes.concat(Bytes.of(noTck), Bytes.ofUnsigned(x & 0xFF));
    } else {
      atr = Bytes.of(noTck);
    }
    if (atr.length() > Atr.MAX_LENGTH) {
      return;
    }
    Atr parsed = Atr.parse(atr);
    assertThat(parsed.groups()).hasSize(g.length);
    for (int i = 0; i < g.length; i++) {
      Atr.InterfaceGroup pg = parsed.groups().get(i);
      assertThat(pg.ta().orElse(-1)).isEqualTo(g[i][0]);
      assertThat(pg.tb().orElse(-1)).isEqualTo(g[i][1]);
      assertThat(pg.tc().orElse(-1)).isEqualTo(g[i][2]);
    }
    assertThat(parsed.historical().raw()).isEqualTo(Bytes.of(hist));
    assertThat(parsed.bytes()).isEqualTo(atr);
  }

  private static int presence(int[] x) {
    return (x[0] >= 0 ? 0x10 : 0) | (x[1] >= 0 ? 0x20 : 0) | (x[2] >= 0 ? 0x40 : 0);
  }

  @Provide
  Arbitrary<List<int[]>> groups() {
    Arbitrary<Integer> b = Arbitraries.integers().between(-1, 255);
    Arbitrary<int[]> group = Combinators.combine(b, b, b).as((x, y, z) -> new int[] {x, y, z});
    return group.list().ofMinSize(1).ofMaxSize(4);
  }
}
