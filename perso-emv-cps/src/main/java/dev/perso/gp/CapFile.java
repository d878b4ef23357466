package dev.perso.gp;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A Java Card CAP file: the ZIP (JAR) holding one {@code <package path>/javacard/<Component>.cap} entry per
 * component (Java Card VM specification 2.2 §6.1). Parsing checks each component's tag and size
 * (§6.1.1), the Header's magic and package (§6.3), the Directory's component sizes (§6.4), and reads the
 * applets (§6.5) and imports (§6.6). {@link #loadFileDataBlock} concatenates the components in the load
 * order of §6.2 (Table 6-3), without Descriptor (unless asked) and never Debug. Immutable.
 *
 * <pre>{@code
 * CapFile cap = CapFile.read(Path.of("applet.cap"));
 * cap.packageAid();                        // e.g. A0000000031010
 * Bytes lfdb = cap.loadFileDataBlock(false);
 * Bytes sha256 = cap.loadFileDataBlockHash("SHA-256", false);
 * }</pre>
 */
public final class CapFile {
  /** Components, in tag order (tag = ordinal + 1). */
  public enum Component {
    /** Tag 1. */ HEADER("Header"),
    /** Tag 2. */ DIRECTORY("Directory"),
    /** Tag 3. */ APPLET("Applet"),
    /** Tag 4. */ IMPORT("Import"),
    /** Tag 5. */ CONSTANT_POOL("ConstantPool"),
    /** Tag 6. */ CLASS("Class"),
    /** Tag 7. */ METHOD("Method"),
    /** Tag 8. */ STATIC_FIELD("StaticField"),
    /** Tag 9. */ REF_LOCATION("RefLocation"),
    /** Tag 10. */ EXPORT("Export"),
    /** Tag 11. */ DESCRIPTOR("Descriptor"),
    /** Tag 12. */ DEBUG("Debug");

    private final String fileName;

    Component(String fileName) {
      this.fileName = fileName;
    }

    /** @return the component's tag */
    public int tag() {
      return ordinal() + 1;
    }

    /** @return the entry's file name without {@code .cap} */
    public String fileName() {
      return fileName;
    }

    static Component ofFileName(String name) {
      for (Component c : values()) {
        if (c.fileName.equals(name)) {
          return c;
        }
      }
      return null;
    }
  }

  /** The load order of JCVM §6.2 Table 6-3 (Descriptor last; Debug is never loaded). */
  public static final List<Component> LOAD_ORDER = List.of(Component.HEADER, Component.DIRECTORY, Component.IMPORT,
      Component.APPLET, Component.CLASS, Component.METHOD, Component.STATIC_FIELD, Component.EXPORT,
      Component.CONSTANT_POOL, Component.REF_LOCATION, Component.DESCRIPTOR);

  private static final List<Component> REQUIRED = List.of(Component.HEADER, Component.DIRECTORY, Component.IMPORT,
      Component.CONSTANT_POOL, Component.CLASS, Component.METHOD, Component.STATIC_FIELD, Component.REF_LOCATION,
      Component.DESCRIPTOR);
  private static final int MAX_ENTRIES = 64;
  private static final int MAX_COMPONENT = 0xFFFF + 3;

  /**
   * An imported package.
   *
   * @param aid its AID
   * @param major its major version
   * @param minor its minor version
   */
  public record Import(Bytes aid, int major, int minor) {}

  private final Map<Component, Bytes> components;
  private final String packagePath;
  private final int formatMajor;
  private final int formatMinor;
  private final Bytes packageAid;
  private final int packageMajor;
  private final int packageMinor;
  private final List<Bytes> applets;
  private final List<Import> imports;

  private CapFile(Map<Component, Bytes> components, String packagePath) {
    this.components = Collections.unmodifiableMap(new EnumMap<>(components));
    this.packagePath = packagePath;
    for (Component c : REQUIRED) {
      if (!components.containsKey(c)) {
        throw new CapFormatException(c.fileName(), -1, "missing (required by JCVM §6.1)");
      }
    }
    components.forEach(CapFile::checkFrame);
    Bytes h = components.get(Component.HEADER);
    String hn = Component.HEADER.fileName();
    need(hn, h, 3 + 4 + 3 + 3);
    if (!h.slice(3, 7).equals(Bytes.fromHex("DECAFFED"))) {
      throw new CapFormatException(hn, 3, "magic is " + h.slice(3, 7).toHex() + ", not DECAFFED (JCVM §6.3)");
    }
    formatMinor = h.getUnsigned(7);
    formatMajor = h.getUnsigned(8);
    // flags at 9; package_info: minor, major, AID_length, AID
    packageMinor = h.getUnsigned(10);
    packageMajor = h.getUnsigned(11);
    int aidLen = h.getUnsigned(12);
    if (aidLen < 5 || aidLen > 16) {
      throw new CapFormatException(hn, 12, "package AID length " + aidLen + " is not 5..16");
    }
    need(hn, h, 13 + aidLen);
    packageAid = h.slice(13, 13 + aidLen);
    checkDirectory();
    applets = components.containsKey(Component.APPLET) ? readApplets(components.get(Component.APPLET)) : List.of();
    imports = readImports(components.get(Component.IMPORT));
  }

  private static void checkFrame(Component c, Bytes b) {
    if (b.length() < 3) {
      throw new CapFormatException(c.fileName(), 0, "shorter than its tag and size (3 bytes)");
    }
    if (b.getUnsigned(0) != c.tag()) {
      throw new CapFormatException(c.fileName(), 0, "tag is " + b.getUnsigned(0) + ", expected " + c.tag());
    }
    int size = (b.getUnsigned(1) << 8) | b.getUnsigned(2);
    if (size != b.length() - 3) {
      throw new CapFormatException(c.fileName(), 1, "size field says " + size + " but " + (b.length() - 3)
          + " bytes follow (JCVM §6.1.1)");
    }
  }

  private static void need(String component, Bytes b, int n) {
    if (b.length() < n) {
      throw new CapFormatException(component, b.length(), "ends early: " + n + " bytes needed");
    }
  }

  /** JCVM §6.4: component_sizes, one u2 per component tag 1..11 (format 2.1) or 1..12 (2.2 and later). */
  private void checkDirectory() {
    Bytes d = components.get(Component.DIRECTORY);
    String dn = Component.DIRECTORY.fileName();
    int count = formatMajor > 2 || (formatMajor == 2 && formatMinor >= 2) ? 12 : 11;
    need(dn, d, 3 + 2 * count);
    for (int i = 0; i < count; i++) {
      Component c = Component.values()[i];
      int declared = (d.getUnsigned(3 + 2 * i) << 8) | d.getUnsigned(4 + 2 * i);
      Bytes actual = components.get(c);
      int size = actual == null ? 0 : actual.length() - 3;
      if (declared != size && c != Component.DEBUG) {
        throw new CapFormatException(dn, 3 + 2 * i, "size of " + c.fileName() + " is given as " + declared
            + " but the component has " + size + " bytes");
      }
    }
  }

  private static List<Bytes> readApplets(Bytes a) {
    String an = Component.APPLET.fileName();
    need(an, a, 4);
    int count = a.getUnsigned(3);
    List<Bytes> out = new ArrayList<>();
    int p = 4;
    for (int i = 0; i < count; i++) {
      need(an, a, p + 1);
      int len = a.getUnsigned(p);
      if (len < 5 || len > 16) {
        throw new CapFormatException(an, p, "applet AID length " + len + " is not 5..16");
      }
      need(an, a, p + 1 + len + 2);
      out.add(a.slice(p + 1, p + 1 + len));
      p += 1 + len + 2;
    }
    if (p != a.length()) {
      throw new CapFormatException(an, p, (a.length() - p) + " bytes after the " + count + " applets");
    }
    return List.copyOf(out);
  }

  private static List<Import> readImports(Bytes m) {
    String in = Component.IMPORT.fileName();
    need(in, m, 4);
    int count = m.getUnsigned(3);
    List<Import> out = new ArrayList<>();
    int p = 4;
    for (int i = 0; i < count; i++) {
      need(in, m, p + 3);
      int len = m.getUnsigned(p + 2);
      if (len < 5 || len > 16) {
        throw new CapFormatException(in, p + 2, "package AID length " + len + " is not 5..16");
      }
      need(in, m, p + 3 + len);
      out.add(new Import(m.slice(p + 3, p + 3 + len), m.getUnsigned(p + 1), m.getUnsigned(p)));
      p += 3 + len;
    }
    if (p != m.length()) {
      throw new CapFormatException(in, p, (m.length() - p) + " bytes after the " + count + " imports");
    }
    return List.copyOf(out);
  }

  /**
   * @param file a CAP file
   * @return the parsed file
   * @throws CapFormatException naming the component at fault
   * @throws TransportException if the file cannot be read
   */
  public static CapFile read(Path file) {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new TransportException("cannot read CAP file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param zip the CAP file's bytes
   * @return the parsed file
   * @throws CapFormatException naming the component at fault ("ZIP" for the container)
   */
  public static CapFile parse(byte[] zip) {
    Map<Component, Bytes> found = new EnumMap<>(Component.class);
    String path = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      int entries = 0;
      while ((e = in.getNextEntry()) != null) {
        if (++entries > MAX_ENTRIES) {
          throw new CapFormatException("ZIP", -1, "more than " + MAX_ENTRIES + " entries");
        }
        String name = e.getName();
        int slash = name.lastIndexOf('/');
        if (e.isDirectory() || !name.endsWith(".cap") || slash < 0 || !name.substring(0, slash).endsWith("javacard")) {
          continue;
        }
        Component c = Component.ofFileName(name.substring(slash + 1, name.length() - 4));
        if (c == null) {
          continue;
        }
        String dir = name.substring(0, slash);
        if (path != null && !path.equals(dir)) {
          throw new CapFormatException(c.fileName(), -1, "found in " + dir + " and " + path + ": one package per CAP");
        }
        path = dir;
        if (found.containsKey(c)) {
          throw new CapFormatException(c.fileName(), -1, "appears twice");
        }
        found.put(c, OwnedBytes.wrap(readLimited(in, c)));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CapFormatException("ZIP", -1, "not a readable ZIP/JAR: " + e.getMessage());
    }
    if (found.isEmpty()) {
      throw new CapFormatException("ZIP", -1, "no <package>/javacard/*.cap component entries");
    }
    return new CapFile(found, path.substring(0, path.length() - "javacard".length()).replaceAll("/$", ""));
  }

  private static byte[] readLimited(InputStream in, Component c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > MAX_COMPONENT) {
        throw new CapFormatException(c.fileName(), -1, "larger than " + MAX_COMPONENT + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Writes a CAP file (for tests and tools that assemble one): each component as
   * {@code <packagePath>/javacard/<Component>.cap}.
   *
   * @param packagePath e.g. {@code com/example/wallet}
   * @param components tag-size-info bytes per component
   * @return the ZIP bytes
   */
  public static byte[] write(String packagePath, Map<Component, Bytes> components) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
      for (Map.Entry<Component, Bytes> e : new EnumMap<>(components).entrySet()) {
        zip.putNextEntry(new ZipEntry(packagePath + "/javacard/" + e.getKey().fileName() + ".cap"));
        zip.write(e.getValue().toByteArray());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new TransportException("cannot write CAP ZIP: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** @return the package's path inside the ZIP, e.g. {@code com/example/wallet} */
  public String packagePath() {
    return packagePath;
  }

  /** @return the package AID (Header package_info) */
  public Bytes packageAid() {
    return packageAid;
  }

  /** @return the package version as {@code major.minor} */
  public String packageVersion() {
    return packageMajor + "." + packageMinor;
  }

  /** @return the CAP format version as {@code major.minor} */
  public String formatVersion() {
    return formatMajor + "." + formatMinor;
  }

  /** @return the applet (module) AIDs, empty for a library package */
  public List<Bytes> applets() {
    return applets;
  }

  /** @return the imported packages */
  public List<Import> imports() {
    return imports;
  }

  /** @return the components present, with their bytes (tag, size, info) */
  public Map<Component, Bytes> components() {
    return components;
  }

  /**
   * @param includeDescriptor true to load the Descriptor component too (some tools do; GlobalPlatformPro
   *     does not, and the hash differs)
   * @return the load file data block: the components in {@link #LOAD_ORDER}
   */
  public Bytes loadFileDataBlock(boolean includeDescriptor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : LOAD_ORDER) {
      if (c == Component.DESCRIPTOR && !includeDescriptor) {
        continue;
      }
      Bytes b = components.get(c);
      if (b != null) {
        out.writeBytes(b.toByteArray());
      }
    }
    return OwnedBytes.wrap(out.toByteArray());
  }

  /**
   * The load file: {@code C4 L LFDB} (GP 2.3.1 §11.6.2.3, Table 11-58), without DAP blocks.
   *
   * @param includeDescriptor see {@link #loadFileDataBlock}
   * @return the bytes to split across LOAD commands
   */
  public Bytes loadFile(boolean includeDescriptor) {
    Bytes lfdb = loadFileDataBlock(includeDescriptor);
    return Bytes.concat(Bytes.ofUnsigned(0xC4), GpCommands.berLength(lfdb.length()), lfdb);
  }

  /**
   * The load file data block hash (GP 2.3.1 §C.2): over the LFDB only, without C4 and its length.
   *
   * @param algorithm a JDK digest name, e.g. {@code SHA-256} or {@code SHA-1}
   * @param includeDescriptor see {@link #loadFileDataBlock}
   * @return the hash
   */
  public Bytes loadFileDataBlockHash(String algorithm, boolean includeDescriptor) {
    try {
      return OwnedBytes.wrap(MessageDigest.getInstance(Objects.requireNonNull(algorithm, "algorithm"))
          .digest(loadFileDataBlock(includeDescriptor).toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new ValidationException("algorithm", "no digest named " + algorithm);
    }
  }

  @Override
  public String toString() {
    return "CapFile[" + packagePath + " " + packageAid.toHex() + " v" + packageVersion() + ", " + applets.size()
        + " applet(s)]";
  }
}
