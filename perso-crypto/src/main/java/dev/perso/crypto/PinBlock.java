package dev.perso.crypto;

import dev.perso.core.cardholder.Pin;
import dev.perso.core.cardholder.Pan;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.internal.Digits;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * ISO 9564-1 clear PIN blocks, formats 0, 1 and 2 (encrypt them with
 * {@link CryptoBackend#encrypt(KeyRef, CipherSpec, Bytes)}). Blocks are returned marked secret;
 * errors never quote PIN digits.
 *
 * <pre>{@code
 * Bytes block = PinBlock.encode(PinBlock.Format.ISO_0, "1234", "4111111111111111");
 * String pin  = PinBlock.decode(PinBlock.Format.ISO_0, block, "4111111111111111");   // "1234"
 * }</pre>
 */
public final class PinBlock {
  /** The PIN block formats. */
  public enum Format {
    /** Format 0 (ANSI X9.8): PIN field XOR PAN field, fill F. */
    ISO_0(0),
    /** Format 1: PIN with random (or transaction) fill; no PAN. */
    ISO_1(1),
    /** Format 2: PIN with fill F, for IC card offline PIN; no PAN. */
    ISO_2(2);

    private final int control;

    Format(int control) {
      this.control = control;
    }

    /** @return the control nibble */
    public int control() {
      return control;
    }

    /** @return true when the PAN enters the block */
    public boolean usesPan() {
      return this == ISO_0;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private PinBlock() {}

  /**
   * Builds a clear PIN block; format 1 fill comes from a {@link SecureRandom}.
   *
   * @param format the format
   * @param pin 4..12 digits
   * @param pan PAN digits (format 0 only; may be null otherwise)
   * @return the 8-byte block, marked secret
   */
  public static Bytes encode(Format format, String pin, String pan) {
    return encode(format, pin, pan, RANDOM);
  }

  /**
   * {@link #encode(Format, String, String)} with typed cardholder values.
   *
   * @param format the format
   * @param pin the PIN
   * @param pan the PAN (format 0 only; may be null otherwise)
   * @return the 8-byte block, marked secret
   */
  public static Bytes encode(Format format, Pin pin, Pan pan) {
    return encode(format, pin.reveal(), pan == null ? null : pan.digits());
  }

  /**
   * Builds a clear PIN block with a chosen fill source (tests).
   *
   * @param format the format
   * @param pin 4..12 digits
   * @param pan PAN digits (format 0 only)
   * @param fill source of format 1 fill nibbles
   * @return the 8-byte block, marked secret
   */
  public static Bytes encode(Format format, String pin, String pan, Random fill) {
    Objects.requireNonNull(format, "format");
    Digits.require("pin", pin, 4, 12);
    byte[] block = new byte[8];
    setNibble(block, 0, format.control);
    setNibble(block, 1, pin.length());
    for (int i = 0; i < 14; i++) {
      int v;
      if (i < pin.length()) {
        v = pin.charAt(i) - '0';
      } else {
        v = format == Format.ISO_1 ? fill.nextInt(16) : 0xF;
      }
      setNibble(block, i + 2, v);
    }
    if (format.usesPan()) {
      byte[] panField = panField(pan);
      for (int i = 0; i < 8; i++) {
        block[i] ^= panField[i];
      }
    }
    Bytes out = Bytes.secret(block);
    Arrays.fill(block, (byte) 0);
    return out;
  }

  /**
   * Recovers the PIN from a clear PIN block.
   *
   * @param format the expected format
   * @param block 8 bytes
   * @param pan PAN digits (format 0 only)
   * @return the PIN digits
   * @throws MalformedDataException naming the offending byte (never the PIN)
   */
  public static String decode(Format format, Bytes block, String pan) {
    Objects.requireNonNull(format, "format");
    if (block == null || block.length() != 8) {
      throw new MalformedDataException(-1, "a PIN block is 8 bytes, was " + (block == null ? "null" : block.length()));
    }
    byte[] b = block.toByteArray();
    try {
      if (format.usesPan()) {
        byte[] panField = panField(pan);
        for (int i = 0; i < 8; i++) {
          b[i] ^= panField[i];
        }
      }
      int control = Digits.nibble(b, 0);
      if (control != format.control) {
        throw new MalformedDataException(0, "control nibble " + control + " is not format " + format.control);
      }
      int n = Digits.nibble(b, 1);
      if (n < 4 || n > 12) {
        throw new MalformedDataException(0, "PIN length nibble must be 4..12, was " + n);
      }
      char[] pin = new char[n];
      for (int i = 0; i < n; i++) {
        int v = Digits.nibble(b, i + 2);
        if (v > 9) {
          throw new MalformedDataException((i + 2) / 2, "PIN digit nibble is not decimal");
        }
        pin[i] = (char) ('0' + v);
      }
      if (format != Format.ISO_1) {
        for (int i = n + 2; i < 16; i++) {
          if (Digits.nibble(b, i) != 0xF) {
            throw new MalformedDataException(i / 2, "fill nibble must be F");
          }
        }
      }
      String out = new String(pin);
      Arrays.fill(pin, '\0');
      return out;
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /**
   * Reads the format from the control nibble of a format 1 or 2 block (format 0 blocks are XORed with
   * the PAN field, whose first nibble is 0, so they read as format 0 too).
   *
   * @param block 8 bytes
   * @return the format
   * @throws MalformedDataException for an unknown control nibble
   */
  public static Format formatOf(Bytes block) {
    if (block == null || block.length() != 8) {
      throw new MalformedDataException(-1, "a PIN block is 8 bytes");
    }
    int c = block.getUnsigned(0) >>> 4;
    for (Format f : Format.values()) {
      if (f.control == c) {
        return f;
      }
    }
    throw new MalformedDataException(0, "unsupported PIN block format " + c);
  }

  private static byte[] panField(String pan) {
    if (pan == null) {
      throw new ValidationException("pan", "format 0 needs the PAN");
    }
    Digits.require("pan", pan, 13, 19);
    String twelve = pan.substring(pan.length() - 13, pan.length() - 1);
    return Digits.pack("0000" + twelve);
  }

  private static void setNibble(byte[] b, int i, int v) {
    if ((i & 1) == 0) {
      b[i / 2] = (byte) ((b[i / 2] & 0x0F) | (v << 4));
    } else {
      b[i / 2] = (byte) ((b[i / 2] & 0xF0) | (v & 0x0F));
    }
  }
}
