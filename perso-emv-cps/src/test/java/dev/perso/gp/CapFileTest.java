package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CAP parsing (JCVM 2.2 §6) and the load file built from it (GP 2.3.1 §11.6.2.3, §C.2). */
class CapFileTest {
  @Test
  void readsPackageAppletsImportsAndOrdersTheLoadFileDataBlock() {
    CapFile cap = CapFile.parse(TestCaps.wallet());
    assertThat(cap.packagePath()).isEqualTo("com/example/wallet");
    assertThat(cap.packageAid().toHex()).isEqualTo("A0000000626F6E75");
    assertThat(cap.packageVersion()).isEqualTo("1.0");
    assertThat(cap.formatVersion()).isEqualTo("2.1");
    assertThat(cap.applets()).containsExactly(Bytes.fromHex("A0000000626F6E7501"));
    assertThat(cap.imports()).extracting(CapFile.Import::aid).containsExactly(Bytes.fromHex("A0000000620101"),
        Bytes.fromHex("A0000000620001"));
    // JCVM §6.2 Table 6-3 order: Header, Directory, Import, Applet, Class, Method, StaticField, Export,
    // ConstantPool, RefLocation; Descriptor only on request
    Bytes lfdb = cap.loadFileDataBlock(false);
    int[] tags = componentTags(lfdb);
    assertThat(tags).containsExactly(1, 2, 4, 3, 6, 7, 8, 5, 9);
    assertThat(componentTags(cap.loadFileDataBlock(true))).endsWith(11);
    // C4 and a BER length (Table 11-58), the hash over the LFDB without them (§C.2)
    Bytes file = cap.loadFile(false);
    assertThat(file.slice(0, 3).toHex()).isEqualTo("C481" + String.format("%02X", lfdb.length()));
    assertThat(file.slice(3)).isEqualTo(lfdb);
    assertThat(cap.loadFileDataBlockHash("SHA-256", false)).hasToString(sha256(lfdb).toString());
  }

  @Test
  void errorsNameTheComponent() {
    Map<CapFile.Component, Bytes> m = TestCaps.components(Bytes.fromHex("A0000000626F6E75"), List.of(), List.of());
    Map<CapFile.Component, Bytes> noMethod = new java.util.EnumMap<>(m);
    noMethod.remove(CapFile.Component.METHOD);
    assertThatThrownBy(() -> CapFile.parse(CapFile.write("p", noMethod)))
        .isInstanceOfSatisfying(CapFormatException.class, e -> assertThat(e.component()).isEqualTo("Method"))
        .hasMessageContaining("missing");
    Map<CapFile.Component, Bytes> badMagic = new java.util.EnumMap<>(m);
    Bytes h = m.get(CapFile.Component.HEADER);
    badMagic.put(CapFile.Component.HEADER, Bytes.concat(h.slice(0, 3), Bytes.fromHex("CAFEBABE"), h.slice(7)));
    assertThatThrownBy(() -> CapFile.parse(CapFile.write("p", badMagic)))
        .isInstanceOfSatisfying(CapFormatException.class, e -> assertThat(e.component()).isEqualTo("Header"))
        .hasMessageContaining("DECAFFED");
    Map<CapFile.Component, Bytes> longerClass = new java.util.EnumMap<>(m);
    longerClass.put(CapFile.Component.CLASS, TestCaps.component(CapFile.Component.CLASS, Bytes.fromHex("A0000000")));
    assertThatThrownBy(() -> CapFile.parse(CapFile.write("p", longerClass)))
        .isInstanceOfSatisfying(CapFormatException.class, e -> assertThat(e.component()).isEqualTo("Directory"))
        .hasMessageContaining("size of Class");
    assertThatThrownBy(() -> CapFile.parse(new byte[] {1, 2, 3}))
        .isInstanceOfSatisfying(CapFormatException.class, e -> assertThat(e.component()).isEqualTo("ZIP"));
  }

  static int[] componentTags(Bytes lfdb) {
    java.util.List<Integer> tags = new java.util.ArrayList<>();
    for (int p = 0; p < lfdb.length(); p += 3 + ((lfdb.getUnsigned(p + 1) << 8) | lfdb.getUnsigned(p + 2))) {
      tags.add(lfdb.getUnsigned(p));
    }
    return tags.stream().mapToInt(Integer::intValue).toArray();
  }

  static Bytes sha256(Bytes b) {
    try {
      return Bytes.of(java.security.MessageDigest.getInstance("SHA-256").digest(b.toByteArray()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
