package dev.perso.gp;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.tlv.Tag;
import dev.perso.core.tlv.Tlv;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One GlobalPlatform registry entry as GET STATUS reports it: the ISD, an application or security domain,
 * or an executable load file (with its modules). Parses and encodes both answer formats: the TLV format
 * (P2 b2 = 1, GP Card Specification 2.3.1 §11.4.3.2, Table 11-36: repeated {@code E3} templates) and the
 * legacy format (P2 b2 = 0, GP 2.2.1 §11.4.3.1, Tables 11-35 and 11-37). Immutable.
 *
 * <pre>{@code
 * List<RegistryEntry> entries = RegistryEntry.parseTlv(response.data());
 * entries.get(0).aid();         // A000000151000000
 * entries.get(0).lifeCycle();   // 0x0F
 * }</pre>
 *
 * @param aid the entry's AID (tag 4F)
 * @param lifeCycle its life-cycle state byte (tag 9F70; a 2-byte value from a real card keeps its first byte)
 * @param privileges 0, 1 or 3 privilege bytes (tag C5); empty for load files
 * @param loadFile the executable load file of an application (tag C4)
 * @param version a load file's version, e.g. major, minor (tag CE)
 * @param modules a load file's executable module AIDs (tag 84, scope {@link StatusScope#LOAD_FILES_AND_MODULES})
 * @param securityDomain the associated security domain (tag CC)
 */
public record RegistryEntry(Bytes aid, int lifeCycle, Bytes privileges, Optional<Bytes> loadFile,
    Optional<Bytes> version, List<Bytes> modules, Optional<Bytes> securityDomain) {
  private static final Tag E3 = Tag.of(0xE3);

  /** Checks the fields. */
  public RegistryEntry {
    Objects.requireNonNull(aid, "aid");
    requireAid("aid", aid);
    if (lifeCycle < 0 || lifeCycle > 0xFF) {
      throw new ValidationException("lifeCycle", "must be one byte, was " + lifeCycle);
    }
    Objects.requireNonNull(privileges, "privileges");
    Privilege.decode(privileges);
    loadFile = Objects.requireNonNull(loadFile, "loadFile");
    loadFile.ifPresent(a -> requireAid("loadFile", a));
    version = Objects.requireNonNull(version, "version");
    modules = List.copyOf(modules);
    modules.forEach(a -> requireAid("modules", a));
    securityDomain = Objects.requireNonNull(securityDomain, "securityDomain");
    securityDomain.ifPresent(a -> requireAid("securityDomain", a));
  }

  /**
   * @param aid the AID
   * @param lifeCycle the life-cycle byte
   * @param privileges the privileges (3 bytes)
   * @return an application or security domain entry
   */
  public static RegistryEntry application(Bytes aid, int lifeCycle, Bytes privileges) {
    return new RegistryEntry(aid, lifeCycle, privileges, Optional.empty(), Optional.empty(), List.of(),
        Optional.empty());
  }

  /**
   * @param aid the package AID
   * @param modules the module (applet class) AIDs
   * @return an executable load file entry in state LOADED
   */
  public static RegistryEntry loadFile(Bytes aid, List<Bytes> modules) {
    return new RegistryEntry(aid, 0x01, Bytes.empty(), Optional.empty(), Optional.empty(), modules, Optional.empty());
  }

  /** @return the privileges by name */
  public java.util.Set<Privilege> privilegeSet() {
    return Privilege.decode(privileges);
  }

  static void requireAid(String field, Bytes aid) {
    if (aid.length() < 5 || aid.length() > 16) {
      throw new ValidationException(field, "an AID is 5 to 16 bytes, was " + aid.length());
    }
  }

  /**
   * Encodes this entry as one {@code E3} template (GP 2.3.1 Table 11-36); the life cycle is one byte.
   *
   * @return the template
   */
  public Tlv toTlv() {
    Tlv.Builder b = Tlv.builder(0xE3).add(0x4F, aid).add(0x9F70, Bytes.ofUnsigned(lifeCycle));
    if (!privileges.isEmpty()) {
      b.add(0xC5, privileges);
    }
    loadFile.ifPresent(a -> b.add(0xC4, a));
    version.ifPresent(v -> b.add(0xCE, v));
    modules.forEach(m -> b.add(0x84, m));
    securityDomain.ifPresent(a -> b.add(0xCC, a));
    return b.build();
  }

  /**
   * @param entries entries
   * @return their {@code E3} templates, concatenated
   */
  public static Bytes encodeTlv(List<RegistryEntry> entries) {
    List<Tlv> all = new ArrayList<>();
    entries.forEach(e -> all.add(e.toTlv()));
    return Tlv.encodeAll(all);
  }

  /**
   * Parses a TLV-format GET STATUS answer. Tags the specification does not list for an entry (such as
   * {@code EA} or {@code CF}) are ignored.
   *
   * @param data the response data (possibly the concatenation of several answers joined by 6310)
   * @return the entries in order
   * @throws MalformedDataException naming the offset or the entry and the rule broken
   */
  public static List<RegistryEntry> parseTlv(Bytes data) {
    List<Tlv> top = Tlv.parseAll(data);
    List<RegistryEntry> out = new ArrayList<>();
    for (int n = 0; n < top.size(); n++) {
      Tlv t = top.get(n);
      if (!t.tag().equals(E3) || !t.isConstructed()) {
        throw new MalformedDataException(-1, "GET STATUS entry " + n + ": tag " + t.tag() + " is not the E3 template "
            + "(GP 2.3.1 Table 11-36)");
      }
      Bytes aid = null;
      Integer lc = null;
      Bytes privileges = Bytes.empty();
      Bytes loadFile = null;
      Bytes version = null;
      Bytes sd = null;
      List<Bytes> modules = new ArrayList<>();
      for (Tlv c : t.children()) {
        Bytes v = c.isConstructed() ? null : c.value();
        int tag = c.tag().value();
        if (v == null) {
          continue;
        }
        switch (tag) {
          case 0x4F: aid = v; break;
          case 0x9F70:
            if (v.length() != 1 && v.length() != 2) {
              throw new MalformedDataException(-1, "GET STATUS entry " + n + ": 9F70 life cycle is " + v.length()
                  + " bytes, expected 1 (or 2 from some cards)");
            }
            lc = v.getUnsigned(0);
            break;
          case 0xC5: privileges = v; break;
          case 0xC4: loadFile = v; break;
          case 0xCE: version = v; break;
          case 0xCC: sd = v; break;
          case 0x84: modules.add(v); break;
          default: break;
        }
      }
      if (aid == null || lc == null) {
        throw new MalformedDataException(-1, "GET STATUS entry " + n + ": E3 without " + (aid == null ? "4F (AID)"
            : "9F70 (life cycle)") + ", both mandatory (GP 2.3.1 §11.4.3.2)");
      }
      try {
        out.add(new RegistryEntry(aid, lc, privileges, Optional.ofNullable(loadFile), Optional.ofNullable(version),
            modules, Optional.ofNullable(sd)));
      } catch (ValidationException e) {
        throw new MalformedDataException(-1, "GET STATUS entry " + n + ": " + e.field() + " " + e.rule());
      }
    }
    return List.copyOf(out);
  }

  /**
   * Encodes entries in the legacy format: {@code len AID, life cycle, privileges (1 byte)} and, for
   * {@link StatusScope#LOAD_FILES_AND_MODULES}, {@code count, {len, module AID}...}.
   *
   * @param entries entries
   * @param scope the GET STATUS scope
   * @return the response data
   */
  public static Bytes encodeLegacy(List<RegistryEntry> entries, StatusScope scope) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (RegistryEntry e : entries) {
      out.write(e.aid.length());
      out.writeBytes(e.aid.toByteArray());
      out.write(e.lifeCycle);
      out.write(e.privileges.isEmpty() ? 0 : e.privileges.getUnsigned(0));
      if (scope == StatusScope.LOAD_FILES_AND_MODULES) {
        out.write(e.modules.size());
        for (Bytes m : e.modules) {
          out.write(m.length());
          out.writeBytes(m.toByteArray());
        }
      }
    }
    return OwnedBytes.wrap(out.toByteArray());
  }

  /**
   * Parses a legacy-format GET STATUS answer (GP 2.2.1 Tables 11-35 and 11-37).
   *
   * @param data the response data
   * @param scope the scope asked for (modules follow each entry only for {@link StatusScope#LOAD_FILES_AND_MODULES})
   * @return the entries
   * @throws MalformedDataException naming the offset where the data ends early or an AID length is wrong
   */
  public static List<RegistryEntry> parseLegacy(Bytes data, StatusScope scope) {
    List<RegistryEntry> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < data.length()) {
      int start = pos[0];
      Bytes aid = aidAt(data, pos);
      need(data, pos[0], 2, "life cycle and privileges");
      int lc = data.getUnsigned(pos[0]);
      int priv = data.getUnsigned(pos[0] + 1);
      pos[0] += 2;
      List<Bytes> modules = new ArrayList<>();
      if (scope == StatusScope.LOAD_FILES_AND_MODULES) {
        need(data, pos[0], 1, "number of modules");
        int count = data.getUnsigned(pos[0]++);
        for (int m = 0; m < count; m++) {
          modules.add(aidAt(data, pos));
        }
      }
      try {
        Bytes privileges = scope == StatusScope.LOAD_FILES || scope == StatusScope.LOAD_FILES_AND_MODULES
            ? Bytes.empty() : Bytes.ofUnsigned(priv);
        out.add(new RegistryEntry(aid, lc, privileges, Optional.empty(), Optional.empty(), modules, Optional.empty()));
      } catch (PersoException e) {
        throw new MalformedDataException(start, "legacy GET STATUS entry: " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private static Bytes aidAt(Bytes data, int[] pos) {
    need(data, pos[0], 1, "AID length");
    int len = data.getUnsigned(pos[0]);
    if (len < 5 || len > 16) {
      throw new MalformedDataException(pos[0], "AID length " + len + " is not 5..16");
    }
    need(data, pos[0] + 1, len, "AID");
    Bytes aid = data.slice(pos[0] + 1, pos[0] + 1 + len);
    pos[0] += 1 + len;
    return aid;
  }

  private static void need(Bytes data, int at, int n, String what) {
    if (at + n > data.length()) {
      throw new MalformedDataException(Math.min(at, data.length()), "legacy GET STATUS data ends inside the " + what);
    }
  }
}
