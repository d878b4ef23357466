package dev.perso.core.apdu;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;

/**
 * A command APDU per ISO/IEC 7816-4 §5.1: header CLA INS P1 P2, optional command data (Nc bytes) and
 * optional expected length Ne. All four cases are covered, in short and extended form.
 *
 * <p>{@code ne == 0} means no Le field; otherwise Ne is 1..65536 (short Le {@code 00} encodes 256,
 * extended Le {@code 0000} encodes 65536). The form of the length fields is part of the command:
 * ISO/IEC 7816-4 §5.1 lets a command use extended length fields even when Nc and Ne would fit the short
 * ones (e.g. {@code 00A404000000010000FF} is case 4E with Nc = 1 and Ne = 255), so {@link #parse} keeps
 * the form it read ({@link #extended()}) and {@link #encode()} writes it back byte for byte. Commands built
 * in code use the short form unless Nc &gt; 255 or Ne &gt; 256 need the extended one, or
 * {@link #withExtended(boolean)} asks for it. A case-1 command has no length fields and is never extended.
 *
 * <pre>{@code
 * CommandApdu select = CommandApdu.of(0x00, 0xA4, 0x04, 0x00, Bytes.fromHex("A0000000041010"), 256);
 * select.encode().toHex();                       // "00A4040007A000000004101000"
 * CommandApdu.parse(Bytes.fromHex("80CA9F7F00")); // GET DATA, case 2S, Ne = 256
 * CommandApdu ext = CommandApdu.parse(Bytes.fromHex("00A404000000010000FF"));
 * ext.apduCase();                                // CASE_4E; ext.encode() gives the same 10 bytes
 * }</pre>
 *
 * @param cla class byte 0..255
 * @param ins instruction byte 0..255
 * @param p1 parameter 1, 0..255
 * @param p2 parameter 2, 0..255
 * @param data command data, 0..65535 bytes (never null)
 * @param ne expected response length, 0 (no Le) or 1..65536
 * @param extended true if the length fields are in extended form; always true when Nc &gt; 255 or
 *     Ne &gt; 256, always false for case 1
 */
public record CommandApdu(int cla, int ins, int p1, int p2, Bytes data, int ne, boolean extended) {

  /** Largest Nc in short form. */
  public static final int MAX_SHORT_NC = 255;
  /** Largest Ne in short form. */
  public static final int MAX_SHORT_NE = 256;
  /** Largest Nc in extended form. */
  public static final int MAX_EXTENDED_NC = 65535;
  /** Largest Ne in extended form. */
  public static final int MAX_EXTENDED_NE = 65536;

  /** The four ISO/IEC 7816-4 command cases, in short (S) or extended (E) form. */
  public enum Case {
    /** No data, no Le. */
    CASE_1,
    /** No data, short Le. */
    CASE_2S,
    /** No data, extended Le. */
    CASE_2E,
    /** Short Lc and data, no Le. */
    CASE_3S,
    /** Extended Lc and data, no Le. */
    CASE_3E,
    /** Short Lc, data and Le. */
    CASE_4S,
    /** Extended Lc, data and Le. */
    CASE_4E
  }

  /**
   * @throws ValidationException naming the field when any part is out of range
   */
  public CommandApdu {
    checkByte("cla", cla);
    checkByte("ins", ins);
    checkByte("p1", p1);
    checkByte("p2", p2);
    if (data == null) {
      data = Bytes.empty();
    }
    if (data.length() > MAX_EXTENDED_NC) {
      throw new ValidationException("data", "Nc must be at most 65535, was " + data.length());
    }
    if (ne < 0 || ne > MAX_EXTENDED_NE) {
      throw new ValidationException("ne", "must be 0 (no Le) or 1..65536, was " + ne);
    }
    extended = data.length() > MAX_SHORT_NC || ne > MAX_SHORT_NE || (extended && (ne > 0 || !data.isEmpty()));
  }

  /**
   * A command in the shortest form its Nc and Ne allow.
   *
   * @param cla class byte 0..255
   * @param ins instruction byte 0..255
   * @param p1 parameter 1, 0..255
   * @param p2 parameter 2, 0..255
   * @param data command data, 0..65535 bytes (null means none)
   * @param ne expected response length, 0 (no Le) or 1..65536
   * @throws ValidationException naming the field when any part is out of range
   */
  public CommandApdu(int cla, int ins, int p1, int p2, Bytes data, int ne) {
    this(cla, ins, p1, p2, data, ne, false);
  }

  private static void checkByte(String field, int v) {
    if (v < 0 || v > 0xFF) {
      throw new ValidationException(field, "must be 0..255, was " + v);
    }
  }

  /**
   * Case 1: header only.
   *
   * @param cla class
   * @param ins instruction
   * @param p1 parameter 1
   * @param p2 parameter 2
   * @return the command
   */
  public static CommandApdu of(int cla, int ins, int p1, int p2) {
    return new CommandApdu(cla, ins, p1, p2, Bytes.empty(), 0);
  }

  /**
   * Case 3 (or 1 when data is empty).
   *
   * @param cla class
   * @param ins instruction
   * @param p1 parameter 1
   * @param p2 parameter 2
   * @param data command data
   * @return the command
   */
  public static CommandApdu of(int cla, int ins, int p1, int p2, Bytes data) {
    return new CommandApdu(cla, ins, p1, p2, data, 0);
  }

  /**
   * Any case: data may be empty, {@code ne} may be 0.
   *
   * @param cla class
   * @param ins instruction
   * @param p1 parameter 1
   * @param p2 parameter 2
   * @param data command data
   * @param ne expected length, 0 for none
   * @return the command
   */
  public static CommandApdu of(int cla, int ins, int p1, int p2, Bytes data, int ne) {
    return new CommandApdu(cla, ins, p1, p2, data, ne);
  }

  /** @return a builder starting from CLA 00, INS 00, P1 P2 00, no data, no Le */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder pre-filled with this command, to derive a variant */
  public Builder newBuilder() {
    return new Builder().cla(cla).ins(ins).p1(p1).p2(p2).data(data).ne(ne).extended(extended);
  }

  /**
   * @param newCla the class byte
   * @return this command with another CLA (for logical channels and secure messaging), in the same form
   */
  public CommandApdu withCla(int newCla) {
    return new CommandApdu(newCla, ins, p1, p2, data, ne, extended);
  }

  /**
   * @param newData the data
   * @return this command with other data, in the same form (extended if the new data needs it)
   */
  public CommandApdu withData(Bytes newData) {
    return new CommandApdu(cla, ins, p1, p2, newData, ne, extended);
  }

  /**
   * @param newNe the expected length
   * @return this command with another Ne, in the same form (extended if the new Ne needs it)
   */
  public CommandApdu withNe(int newNe) {
    return new CommandApdu(cla, ins, p1, p2, data, newNe, extended);
  }

  /**
   * @param extendedForm true for extended length fields, false for the shortest form Nc and Ne allow
   * @return this command in that form (a case-1 command, or one whose Nc or Ne needs it, is unchanged)
   */
  public CommandApdu withExtended(boolean extendedForm) {
    return new CommandApdu(cla, ins, p1, p2, data, ne, extendedForm);
  }

  /** @return Nc, the number of data bytes */
  public int nc() {
    return data.length();
  }

  /** @return true if the command needs the extended form (Nc &gt; 255 or Ne &gt; 256) */
  public boolean needsExtended() {
    return data.length() > MAX_SHORT_NC || ne > MAX_SHORT_NE;
  }

  /** @return the case this command is encoded as by {@link #encode()}, in its form */
  public Case apduCase() {
    boolean ext = extended;
    if (data.isEmpty()) {
      return ne == 0 ? Case.CASE_1 : ext ? Case.CASE_2E : Case.CASE_2S;
    }
    return ne == 0 ? (ext ? Case.CASE_3E : Case.CASE_3S) : (ext ? Case.CASE_4E : Case.CASE_4S);
  }

  /** @return the encoding in this command's form ({@link #extended()}); a parsed command gives its bytes back */
  public Bytes encode() {
    return encode(extended);
  }

  /**
   * Encodes in extended form even when the short form would do (some readers and cards require it).
   *
   * @return the extended encoding (a case-1 command has no length fields and is unchanged)
   */
  public Bytes encodeExtended() {
    return encode(true);
  }

  private Bytes encode(boolean extended) {
    int nc = data.length();
    int size = 4;
    if (extended) {
      if (nc > 0) {
        size += 3 + nc;
      }
      if (ne > 0) {
        size += nc > 0 ? 2 : 3;
      }
    } else {
      if (nc > 0) {
        size += 1 + nc;
      }
      if (ne > 0) {
        size += 1;
      }
    }
    byte[] out = new byte[size];
    out[0] = (byte) cla;
    out[1] = (byte) ins;
    out[2] = (byte) p1;
    out[3] = (byte) p2;
    int at = 4;
    if (extended) {
      if (nc > 0) {
        out[at++] = 0;
        out[at++] = (byte) (nc >>> 8);
        out[at++] = (byte) nc;
        data.copyTo(out, at);
        at += nc;
      }
      if (ne > 0) {
        if (nc == 0) {
          out[at++] = 0;
        }
        int le = ne == MAX_EXTENDED_NE ? 0 : ne;
        out[at++] = (byte) (le >>> 8);
        out[at++] = (byte) le;
      }
    } else {
      if (nc > 0) {
        out[at++] = (byte) nc;
        data.copyTo(out, at);
        at += nc;
      }
      if (ne > 0) {
        out[at++] = (byte) (ne == MAX_SHORT_NE ? 0 : ne);
      }
    }
    Bytes encoded = OwnedBytes.wrap(out);
    return data.isSecret() ? encoded.asSecret() : encoded;
  }

  /**
   * Parses a command APDU strictly per ISO/IEC 7816-4 §5.1, keeping the form of its length fields, so
   * {@code parse(raw).encode()} equals {@code raw}.
   *
   * @param raw the encoded command
   * @return the command
   * @throws MalformedDataException naming the offending byte when the lengths do not add up
   */
  public static CommandApdu parse(Bytes raw) {
    return parse(raw.toByteArray());
  }

  /**
   * Parses a command APDU strictly per ISO/IEC 7816-4 §5.1, keeping the form of its length fields.
   *
   * @param b the encoded command
   * @return the command
   * @throws MalformedDataException naming the offending byte when the lengths do not add up
   */
  public static CommandApdu parse(byte[] b) {
    int n = b.length;
    if (n < 4) {
      throw new MalformedDataException(n, "command APDU needs a 4-byte header, got " + n + " bytes");
    }
    int cla = b[0] & 0xFF;
    int ins = b[1] & 0xFF;
    int p1 = b[2] & 0xFF;
    int p2 = b[3] & 0xFF;
    if (n == 4) {
      return new CommandApdu(cla, ins, p1, p2, Bytes.empty(), 0);
    }
    int b4 = b[4] & 0xFF;
    if (n == 5) {
      return new CommandApdu(cla, ins, p1, p2, Bytes.empty(), b4 == 0 ? MAX_SHORT_NE : b4);
    }
    if (b4 != 0) {
      int nc = b4;
      if (n == 5 + nc) {
        return new CommandApdu(cla, ins, p1, p2, Bytes.of(b, 5, nc), 0);
      }
      if (n == 6 + nc) {
        int le = b[n - 1] & 0xFF;
        return new CommandApdu(cla, ins, p1, p2, Bytes.of(b, 5, nc), le == 0 ? MAX_SHORT_NE : le);
      }
      throw new MalformedDataException(4, "short Lc " + Hex.byteToHex(nc) + " announces " + nc
          + " data bytes, but " + (n - 5) + " bytes follow (expected " + nc + " or " + (nc + 1) + ")");
    }
    // b4 == 00 and more bytes follow: extended length.
    if (n < 7) {
      throw new MalformedDataException(n, "extended length field after 00 at offset 4 needs 2 more bytes, got "
          + (n - 5));
    }
    int b56 = ((b[5] & 0xFF) << 8) | (b[6] & 0xFF);
    if (n == 7) {
      return new CommandApdu(cla, ins, p1, p2, Bytes.empty(), b56 == 0 ? MAX_EXTENDED_NE : b56, true);
    }
    if (b56 == 0) {
      throw new MalformedDataException(5, "extended Lc must not be 0000");
    }
    int nc = b56;
    if (n == 7 + nc) {
      return new CommandApdu(cla, ins, p1, p2, Bytes.of(b, 7, nc), 0, true);
    }
    if (n == 9 + nc) {
      int le = ((b[n - 2] & 0xFF) << 8) | (b[n - 1] & 0xFF);
      return new CommandApdu(cla, ins, p1, p2, Bytes.of(b, 7, nc), le == 0 ? MAX_EXTENDED_NE : le, true);
    }
    throw new MalformedDataException(5, "extended Lc " + Hex.byteToHex(nc >>> 8) + Hex.byteToHex(nc)
        + " announces " + nc + " data bytes, but " + (n - 7) + " bytes follow (expected " + nc + " or "
        + (nc + 2) + ")");
  }

  /** @return e.g. {@code 00 A4 04 00 Lc=7 [A0000000041010] Le=256}; secret-marked data prints masked */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(32 + 2 * data.length());
    s.append(Hex.byteToHex(cla)).append(' ').append(Hex.byteToHex(ins)).append(' ')
        .append(Hex.byteToHex(p1)).append(' ').append(Hex.byteToHex(p2));
    if (!data.isEmpty()) {
      s.append(" Lc=").append(data.length()).append(' ')
          .append(data.isSecret() ? "[secret]" : "[" + data.toHex() + "]");
    }
    if (ne > 0) {
      s.append(" Le=").append(ne);
    }
    return s.toString();
  }

  /** Builds a {@link CommandApdu} field by field. */
  public static final class Builder {
    private int cla;
    private int ins;
    private int p1;
    private int p2;
    private Bytes data = Bytes.empty();
    private int ne;
    private boolean extended;

    private Builder() {}

    /** @param v class byte @return this builder */
    public Builder cla(int v) {
      this.cla = v;
      return this;
    }

    /** @param v instruction byte @return this builder */
    public Builder ins(int v) {
      this.ins = v;
      return this;
    }

    /** @param v parameter 1 @return this builder */
    public Builder p1(int v) {
      this.p1 = v;
      return this;
    }

    /** @param v parameter 2 @return this builder */
    public Builder p2(int v) {
      this.p2 = v;
      return this;
    }

    /** @param v command data @return this builder */
    public Builder data(Bytes v) {
      this.data = v;
      return this;
    }

    /** @param v expected length, 0 for none @return this builder */
    public Builder ne(int v) {
      this.ne = v;
      return this;
    }

    /** @param v true for extended length fields even when the short ones would do @return this builder */
    public Builder extended(boolean v) {
      this.extended = v;
      return this;
    }

    /** @return the command, validated */
    public CommandApdu build() {
      return new CommandApdu(cla, ins, p1, p2, data, ne, extended);
    }
  }
}
