package dev.perso.gp;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.core.tlv.Tag;
import dev.perso.core.tlv.Tlv;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the Key Information Template, GET DATA {@code 00E0} (GP Card Specification 2.3.1
 * §11.3.3.1.1): {@code E0 { C0 L keyInfo }...}. The basic format (Table 11-28) is key ID, key version, then
 * (key type, key length) pairs, length {@code 00} meaning 256 or more; the extended format (Table 11-29)
 * has {@code FF type} and 2-byte lengths followed by key usage and key access fields. Note the order:
 * ID first, then version. Immutable.
 *
 * <pre>{@code
 * List<KeyInformation> keys = KeyInformation.parseTemplate(Bytes.fromHex("E012C00401018820C00402018820C00403018820"));
 * keys.get(0).keyVersion();   // 1
 * }</pre>
 *
 * @param keyId the key identifier
 * @param keyVersion the key version number
 * @param components (type, length) of each component
 */
public record KeyInformation(int keyId, int keyVersion, List<Component> components) {
  private static final Tag E0 = Tag.of(0xE0);
  private static final Tag C0 = Tag.of(0xC0);

  /**
   * One key component.
   *
   * @param type the key type (GP 2.3.1 Table 11-16): 80 DES, 88 AES, A0/A1 RSA public...
   * @param length the component's length in bytes
   */
  public record Component(int type, int length) {}

  /** Checks the fields. */
  public KeyInformation {
    if (keyId < 0 || keyId > 0xFF || keyVersion < 0 || keyVersion > 0xFF) {
      throw new ValidationException("keyInformation", "key ID and version are one byte each");
    }
    components = List.copyOf(components);
    for (Component c : components) {
      if (c.type() < 0 || c.type() > 0xFF || c.length() < 0 || c.length() > 0xFFFF) {
        throw new ValidationException("components", "a component has a one-byte type and a length of 0..65535 (0: not stated)");
      }
    }
  }

  /** @return the basic-format {@code C0} object (extended when a length exceeds 255) */
  public Tlv toTlv() {
    boolean extended = components.stream().anyMatch(c -> c.length() > 255 || c.type() == 0xFF);
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(keyId);
    b.write(keyVersion);
    for (Component c : components) {
      if (extended) {
        b.write(0xFF);
        b.write(c.type());
        b.write(c.length() >> 8);
        b.write(c.length());
      } else {
        b.write(c.type());
        b.write(c.length() == 256 ? 0 : c.length());
      }
    }
    if (extended) {
      b.write(0);
      b.write(0);
    }
    return Tlv.primitive(0xC0, OwnedBytes.wrap(b.toByteArray()));
  }

  /**
   * @param keys entries
   * @return the {@code E0} template
   */
  public static Bytes encodeTemplate(List<KeyInformation> keys) {
    Tlv.Builder b = Tlv.builder(0xE0);
    keys.forEach(k -> b.add(k.toTlv()));
    return b.build().encode();
  }

  /**
   * @param data the GET DATA 00E0 response: the {@code E0} template
   * @return the key entries in order
   * @throws MalformedDataException for a wrong tag or a key information field that ends early
   */
  public static List<KeyInformation> parseTemplate(Bytes data) {
    Tlv e0 = Tlv.parse(data);
    if (!e0.tag().equals(E0) || !e0.isConstructed()) {
      throw new MalformedDataException(0, "key information template must be tag E0, was " + e0.tag());
    }
    List<KeyInformation> out = new ArrayList<>();
    for (Tlv c : e0.children()) {
      if (!c.tag().equals(C0) || c.isConstructed()) {
        throw new MalformedDataException(-1, "key information template holds " + c.tag() + ", expected C0");
      }
      out.add(parseC0(c.value()));
    }
    return List.copyOf(out);
  }

  private static KeyInformation parseC0(Bytes v) {
    if (v.length() < 4) {
      throw new MalformedDataException(-1, "C0 key information is " + v.length() + " bytes, at least 4 expected");
    }
    int id = v.getUnsigned(0);
    int kvn = v.getUnsigned(1);
    List<Component> comps = new ArrayList<>();
    boolean extended = v.getUnsigned(2) == 0xFF;
    int i = 2;
    if (!extended) {
      if (v.length() % 2 != 0) {
        throw new MalformedDataException(-1, "C0 basic key information has an odd length " + v.length());
      }
      for (; i < v.length(); i += 2) {
        int len = v.getUnsigned(i + 1);
        comps.add(new Component(v.getUnsigned(i), len == 0 ? 256 : len));
      }
    } else {
      // Extended (Table 11-29): (FF type, len2) pairs, then length+usage, length+access. Some cards mix in a
      // component without its FF (GPPro testExtendedRSAKeyTemplate); a usage length is 0 or 1, so a byte of
      // 80 or more here is always a key type.
      while (i < v.length() && v.getUnsigned(i) >= 0x80) {
        int n = v.getUnsigned(i) == 0xFF ? 1 : 0;
        if (i + n + 3 > v.length()) {
          throw new MalformedDataException(-1, "C0 extended key information ends inside a key component");
        }
        int len = (v.getUnsigned(i + n + 1) << 8) | v.getUnsigned(i + n + 2);
        comps.add(new Component(v.getUnsigned(i + n), len));
        i += n + 3;
      }
      for (String part : new String[] {"key usage", "key access"}) {
        if (i >= v.length() || i + 1 + v.getUnsigned(i) > v.length()) {
          throw new MalformedDataException(-1, "C0 extended key information ends before its " + part);
        }
        i += 1 + v.getUnsigned(i);
      }
      if (i != v.length() || comps.isEmpty()) {
        throw new MalformedDataException(-1, "C0 extended key information has trailing bytes or no component");
      }
    }
    return new KeyInformation(id, kvn, comps);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(String.format("key %02X version %02X", keyId, keyVersion));
    for (Component c : components) {
      s.append(String.format(" type %02X length %d", c.type(), c.length()));
    }
    return s.toString();
  }

}
