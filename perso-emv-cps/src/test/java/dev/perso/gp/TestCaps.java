package dev.perso.gp;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import java.io.ByteArrayOutputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds minimal CAP files the way JCVM 2.2 §6 lays them out (format 2.1: 11 Directory sizes), so the tests
 * need no third-party fixture: Header (§6.3), Directory (§6.4), Applet (§6.5), Import (§6.6) with real
 * content, and short ConstantPool/Class/Method/StaticField/RefLocation/Descriptor bodies. The Directory
 * sizes match each component's size field.
 */
final class TestCaps {
  private TestCaps() {}

  static Bytes component(CapFile.Component c, Bytes info) {
    return Bytes.concat(Bytes.ofUnsigned(c.tag(), info.length() >> 8, info.length() & 0xFF), info);
  }

  static Map<CapFile.Component, Bytes> components(Bytes packageAid, List<Bytes> applets, List<Bytes> imports) {
    Map<CapFile.Component, Bytes> m = new EnumMap<>(CapFile.Component.class);
    m.put(CapFile.Component.HEADER, component(CapFile.Component.HEADER, Bytes.concat(Bytes.fromHex("DECAFFED0102"),
        Bytes.ofUnsigned(applets.isEmpty() ? 0 : 4, 0, 1, packageAid.length()), packageAid)));
    if (!applets.isEmpty()) {
      ByteArrayOutputStream a = new ByteArrayOutputStream();
      a.write(applets.size());
      int offset = 0x13;
      for (Bytes aid : applets) {
        a.write(aid.length());
        a.writeBytes(aid.toByteArray());
        a.write(0);
        a.write(offset++);
      }
      m.put(CapFile.Component.APPLET, component(CapFile.Component.APPLET, OwnedBytes.wrap(a.toByteArray())));
    }
    ByteArrayOutputStream im = new ByteArrayOutputStream();
    im.write(imports.size());
    for (Bytes aid : imports) {
      im.writeBytes(new byte[] {2, 1, (byte) aid.length()}); // minor 2, major 1
      im.writeBytes(aid.toByteArray());
    }
    m.put(CapFile.Component.IMPORT, component(CapFile.Component.IMPORT, OwnedBytes.wrap(im.toByteArray())));
    m.put(CapFile.Component.CONSTANT_POOL, component(CapFile.Component.CONSTANT_POOL, Bytes.fromHex("0000")));
    m.put(CapFile.Component.CLASS, component(CapFile.Component.CLASS, Bytes.fromHex("A00000")));
    m.put(CapFile.Component.METHOD, component(CapFile.Component.METHOD, Bytes.fromHex("00011880")));
    m.put(CapFile.Component.STATIC_FIELD, component(CapFile.Component.STATIC_FIELD, Bytes.fromHex("000000000000000000")));
    m.put(CapFile.Component.REF_LOCATION, component(CapFile.Component.REF_LOCATION, Bytes.fromHex("00000000")));
    m.put(CapFile.Component.DESCRIPTOR, component(CapFile.Component.DESCRIPTOR, Bytes.fromHex("0000000000")));
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    for (int tag = 1; tag <= 11; tag++) {
      CapFile.Component c = CapFile.Component.values()[tag - 1];
      int size = c == CapFile.Component.DIRECTORY ? 11 * 2 + 6 + 3 : m.containsKey(c) ? m.get(c).length() - 3 : 0;
      d.write(size >> 8);
      d.write(size & 0xFF);
    }
    d.writeBytes(new byte[6]); // static_field_size_info
    d.write(imports.size());
    d.write(applets.size());
    d.write(0); // custom_count
    m.put(CapFile.Component.DIRECTORY, component(CapFile.Component.DIRECTORY, OwnedBytes.wrap(d.toByteArray())));
    return m;
  }

  static byte[] cap(String path, Bytes packageAid, List<Bytes> applets, List<Bytes> imports) {
    return CapFile.write(path, components(packageAid, applets, imports));
  }

  static byte[] wallet() {
    return cap("com/example/wallet", Bytes.fromHex("A0000000626F6E75"), List.of(Bytes.fromHex("A0000000626F6E7501")),
        List.of(Bytes.fromHex("A0000000620101"), Bytes.fromHex("A0000000620001")));
  }
}
