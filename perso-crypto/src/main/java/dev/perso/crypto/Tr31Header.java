package dev.perso.crypto;

import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * The clear header of an ANSI X9.143 / TR-31 key block, versions B (TDES, key derivation binding) and D
 * (AES). Optional blocks are kept as their raw text.
 *
 * <pre>{@code
 * Tr31Header h = Tr31Header.builder().version(Tr31Header.Version.D).keyUsage("P0")
 *     .algorithm('A').modeOfUse('E').exportability('E').build();
 * String block = backend.exportTr31(pek, kbpk, h);
 * Tr31Header.parse(block).keyUsage();   // "P0"
 * }</pre>
 *
 * @param version B or D
 * @param keyUsage two characters, e.g. {@code P0} (PIN encryption), {@code K0} (KEK), {@code D0} (data)
 * @param algorithm {@code T} TDES, {@code A} AES, {@code D} DES
 * @param modeOfUse e.g. {@code E} encrypt/wrap, {@code B} both, {@code N} none
 * @param keyVersion two characters, {@code 00} when unused
 * @param exportability {@code E}, {@code N} or {@code S}
 * @param blockCount number of optional blocks
 * @param optionalBlocks the optional blocks as raw text (empty when none)
 */
public record Tr31Header(Version version, String keyUsage, char algorithm, char modeOfUse, String keyVersion,
    char exportability, int blockCount, String optionalBlocks) {

  /** Supported key block versions. */
  public enum Version {
    /** TDES key derivation binding (TR-31:2010 and later). */
    B,
    /** AES key derivation binding. */
    D
  }

  /** Checks the fields. */
  public Tr31Header {
    Objects.requireNonNull(version, "version");
    if (keyUsage == null || !keyUsage.matches("[0-9A-Z]{2}")) {
      throw new ValidationException("keyUsage", "must be 2 upper-case alphanumerics");
    }
    if ("TAD".indexOf(algorithm) < 0) {
      throw new ValidationException("algorithm", "must be T, A or D");
    }
    if (!Character.isLetterOrDigit(modeOfUse) || modeOfUse > 'z') {
      throw new ValidationException("modeOfUse", "must be one alphanumeric");
    }
    if (keyVersion == null || !keyVersion.matches("[0-9A-Za-z]{2}")) {
      throw new ValidationException("keyVersion", "must be 2 alphanumerics");
    }
    if ("ENS".indexOf(exportability) < 0) {
      throw new ValidationException("exportability", "must be E, N or S");
    }
    if (blockCount < 0 || blockCount > 99) {
      throw new ValidationException("blockCount", "must be 0..99");
    }
    Objects.requireNonNull(optionalBlocks, "optionalBlocks");
    if (blockCount != countBlocks(optionalBlocks, 16)) {
      throw new ValidationException("optionalBlocks", "does not hold " + blockCount + " blocks");
    }
  }

  /** @return a builder (key version 00, exportability E, no optional blocks) */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the block size of the version's cipher: 8 for B, 16 for D */
  public int blockSize() {
    return version == Version.B ? 8 : 16;
  }

  /** @return the MAC length in bytes: 8 for B, 16 for D */
  public int macLength() {
    return version == Version.B ? 8 : 16;
  }

  /**
   * The header text with a given total block length.
   *
   * @param totalLength the key block's length in characters
   * @return the header as it goes into the block
   */
  public String encode(int totalLength) {
    if (totalLength < 16 || totalLength > 9999) {
      throw new ValidationException("length", "key block length must be 16..9999");
    }
    return version.name() + String.format("%04d", totalLength) + keyUsage + algorithm + modeOfUse + keyVersion
        + exportability + String.format("%02d", blockCount) + "00" + optionalBlocks;
  }

  /** @return header length in characters (16 + optional blocks) */
  public int length() {
    return 16 + optionalBlocks.length();
  }

  /**
   * Parses the header of a key block.
   *
   * @param block the key block text
   * @return its header
   * @throws MalformedDataException naming the offending character offset
   */
  public static Tr31Header parse(String block) {
    if (block == null || block.length() < 16) {
      throw new MalformedDataException(-1, "a TR-31 key block has at least 16 characters");
    }
    for (int i = 0; i < block.length(); i++) {
      char c = block.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new MalformedDataException(i, "not a printable ASCII character");
      }
    }
    Version v;
    switch (block.charAt(0)) {
      case 'B': v = Version.B; break;
      case 'D': v = Version.D; break;
      default: throw new MalformedDataException(0, "key block version '" + block.charAt(0) + "' is not supported (B, D)");
    }
    String len = block.substring(1, 5);
    if (!len.matches("[0-9]{4}") || Integer.parseInt(len) != block.length()) {
      throw new MalformedDataException(1, "key block length field does not match the block's " + block.length() + " characters");
    }
    String count = block.substring(12, 14);
    if (!count.matches("[0-9]{2}")) {
      throw new MalformedDataException(12, "number of optional blocks must be 2 digits");
    }
    int n = Integer.parseInt(count);
    int end = skipBlocks(block, 16, n);
    try {
      return new Tr31Header(v, block.substring(5, 7), block.charAt(7), block.charAt(8), block.substring(9, 11),
          block.charAt(11), n, block.substring(16, end));
    } catch (ValidationException e) {
      throw new MalformedDataException(5, "invalid header field " + e.field() + ": " + e.rule());
    }
  }

  private static int countBlocks(String blocks, int unused) {
    int n = 0;
    int at = 0;
    while (at < blocks.length()) {
      at = skipBlocks(blocks, at, 1);
      n++;
    }
    return n;
  }

  /** Returns the offset after {@code n} optional blocks starting at {@code at}. */
  private static int skipBlocks(String s, int at, int n) {
    for (int i = 0; i < n; i++) {
      if (at + 4 > s.length()) {
        throw new MalformedDataException(at, "optional block " + (i + 1) + " is truncated");
      }
      String id = s.substring(at, at + 2);
      if (!id.matches("[0-9A-Za-z]{2}")) {
        throw new MalformedDataException(at, "optional block ID must be 2 alphanumerics");
      }
      int len = hex(s, at + 2, 2);
      int total;
      if (len == 0) {
        int lenOfLen = hex(s, at + 4, 2);
        if (lenOfLen == 0 || at + 6 + 2 * lenOfLen > s.length()) {
          throw new MalformedDataException(at + 4, "bad extended length of optional block " + id);
        }
        total = hex(s, at + 6, 2 * lenOfLen);
        if (total < 6 + 2 * lenOfLen) {
          throw new MalformedDataException(at + 6, "optional block " + id + " length is too small");
        }
      } else {
        total = len;
        if (total < 4) {
          throw new MalformedDataException(at + 2, "optional block " + id + " length is too small");
        }
      }
      if (at + total > s.length()) {
        throw new MalformedDataException(at, "optional block " + id + " runs past the header");
      }
      at += total;
    }
    return at;
  }

  private static int hex(String s, int at, int digits) {
    if (at + digits > s.length()) {
      throw new MalformedDataException(at, "truncated hex length");
    }
    int v = 0;
    for (int i = 0; i < digits; i++) {
      int d = Character.digit(s.charAt(at + i), 16);
      if (d < 0) {
        throw new MalformedDataException(at + i, "not a hex digit");
      }
      v = v * 16 + d;
    }
    return v;
  }

  /** Builder for {@link Tr31Header}. */
  public static final class Builder {
    private Version version = Version.D;
    private String keyUsage;
    private char algorithm = 'A';
    private char modeOfUse = 'E';
    private String keyVersion = "00";
    private char exportability = 'E';

    private Builder() {}

    /**
     * @param v B or D
     * @return this
     */
    public Builder version(Version v) {
      this.version = v;
      return this;
    }

    /**
     * @param usage two characters
     * @return this
     */
    public Builder keyUsage(String usage) {
      this.keyUsage = usage;
      return this;
    }

    /**
     * @param algorithm T, A or D
     * @return this
     */
    public Builder algorithm(char algorithm) {
      this.algorithm = algorithm;
      return this;
    }

    /**
     * @param mode mode of use
     * @return this
     */
    public Builder modeOfUse(char mode) {
      this.modeOfUse = mode;
      return this;
    }

    /**
     * @param keyVersion two characters
     * @return this
     */
    public Builder keyVersion(String keyVersion) {
      this.keyVersion = keyVersion;
      return this;
    }

    /**
     * @param exportability E, N or S
     * @return this
     */
    public Builder exportability(char exportability) {
      this.exportability = exportability;
      return this;
    }

    /** @return the header, without optional blocks */
    public Tr31Header build() {
      return new Tr31Header(version, keyUsage, algorithm, modeOfUse, keyVersion, exportability, 0, "");
    }
  }
}
