package dev.perso.devices.msr.internal;

import dev.perso.core.MalformedDataException;
import java.io.ByteArrayOutputStream;

/**
 * The MSR206 / MSR605 / MSR606 frames (notes magstripe-surface.md §3.2, from the MSR206 and MSR605
 * programmer's manuals): {@code ESC}-prefixed one-byte commands, the data block
 * {@code 1B 73 1B 01 <t1> 1B 02 <t2> 1B 03 <t3> 3F 1C} shared by ISO write and read, and its raw form
 * with a length byte before each track. Both the driver and the emulator use these, so the bytes on the
 * wire are written once.
 */
public final class MsrFrames {
  /** Command prefix and reply prefix. */
  public static final int ESC = 0x1B;
  /** Data block start ({@code ESC s}). */
  public static final int BLOCK = 0x73;
  /** The data block ends with {@code 3F 1C}. */
  public static final int BLOCK_END_1 = 0x3F;
  /** Second byte of the block end. */
  public static final int BLOCK_END_2 = 0x1C;
  /** Reset: no reply. */
  public static final int RESET = 0x61;
  /** ISO read. */
  public static final int READ_ISO = 0x72;
  /** ISO write. */
  public static final int WRITE_ISO = 0x77;
  /** Raw read. */
  public static final int READ_RAW = 0x6D;
  /** Raw write. */
  public static final int WRITE_RAW = 0x6E;
  /** Communication test: answers {@code 1B 79}. */
  public static final int COMM_TEST = 0x65;
  /** Communication test answer byte ('y'). */
  public static final int COMM_OK = 0x79;
  /** Erase with a select byte. */
  public static final int ERASE = 0x63;
  /** Select BPI with a density byte. */
  public static final int SET_BPI = 0x62;
  /** Set BPC with three bytes. */
  public static final int SET_BPC = 0x6F;
  /** Hi-Co. */
  public static final int HI_CO = 0x78;
  /** Lo-Co. */
  public static final int LO_CO = 0x79;
  /** Get Hi/Lo-Co: answers 'H' or 'L'. */
  public static final int GET_CO = 0x64;
  /** Model: answers {@code 1B <model> 53}. */
  public static final int MODEL = 0x74;
  /** Firmware: answers {@code 1B "REV?X.XX"}. */
  public static final int FIRMWARE = 0x76;
  /** Set leading zeros: two bytes. */
  public static final int SET_LEADING_ZEROS = 0x7A;
  /** Check leading zeros: answers {@code 1B <lz13> <lz2>}. */
  public static final int GET_LEADING_ZEROS = 0x6C;
  /** RAM test. */
  public static final int RAM_TEST = 0x87;
  /** Largest track in a block we accept. */
  public static final int MAX_TRACK = 255;

  private MsrFrames() {}

  /** The next byte of a reply or command; implementations throw (timeout, link gone) rather than return. */
  @FunctionalInterface
  public interface Input {
    /** @return the next byte 0..255 */
    int read();
  }

  /** A parsed data block: tracks 1..3 at index 0..2 (empty when absent) and the status, -1 if none. */
  public record Block(byte[][] tracks, int status) {}

  /**
   * @param command the command byte
   * @param args argument bytes
   * @return {@code 1B command args...}
   */
  public static byte[] command(int command, int... args) {
    byte[] out = new byte[2 + args.length];
    out[0] = ESC;
    out[1] = (byte) command;
    for (int i = 0; i < args.length; i++) {
      out[2 + i] = (byte) args[i];
    }
    return out;
  }

  /**
   * @param command {@link #WRITE_ISO} or {@link #WRITE_RAW} (or -1 for a reply block without a command)
   * @param tracks three tracks, empty for none
   * @param raw true to put a length byte before each track
   * @return the frame
   */
  public static byte[] block(int command, byte[][] tracks, boolean raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + tracks[0].length + tracks[1].length + tracks[2].length);
    if (command >= 0) {
      out.write(ESC);
      out.write(command);
    }
    out.write(ESC);
    out.write(BLOCK);
    for (int t = 0; t < 3; t++) {
      out.write(ESC);
      out.write(t + 1);
      if (raw) {
        out.write(tracks[t].length);
      }
      out.write(tracks[t], 0, tracks[t].length);
    }
    out.write(BLOCK_END_1);
    out.write(BLOCK_END_2);
    return out.toByteArray();
  }

  /**
   * Reads a data block from its {@code 1B 73} to its {@code 3F 1C}.
   *
   * @param in the bytes
   * @param raw true when each track has a length byte
   * @param readStatus true to read the {@code 1B <status>} that follows (a reply); a reply may also be a
   *     bare {@code 1B <status>} without a block
   * @return the tracks and the status
   * @throws MalformedDataException naming the offset and what was expected
   */
  public static Block readBlock(Input in, boolean raw, boolean readStatus) {
    int[] pos = {0};
    expect(in, pos, ESC, "ESC");
    int b = next(in, pos);
    if (b != BLOCK) {
      if (readStatus) {
        return new Block(new byte[][] {new byte[0], new byte[0], new byte[0]}, b);
      }
      throw new MalformedDataException(pos[0] - 1, "expected 73 (data block)");
    }
    byte[][] tracks = new byte[3][];
    expect(in, pos, ESC, "ESC before track 1");
    expect(in, pos, 1, "track 1 marker 01");
    for (int t = 0; t < 3; t++) {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      if (raw) {
        int len = next(in, pos);
        for (int i = 0; i < len; i++) {
          data.write(next(in, pos));
        }
        if (t < 2) {
          expect(in, pos, ESC, "ESC before track " + (t + 2));
          expect(in, pos, t + 2, "track " + (t + 2) + " marker 0" + (t + 2));
        } else {
          expect(in, pos, BLOCK_END_1, "block end 3F");
          expect(in, pos, BLOCK_END_2, "block end 1C");
        }
      } else if (t < 2) {
        while ((b = next(in, pos)) != ESC) {
          if (data.size() >= MAX_TRACK) {
            throw new MalformedDataException(pos[0] - 1, "track " + (t + 1) + " longer than " + MAX_TRACK + " bytes");
          }
          data.write(b);
        }
        expect(in, pos, t + 2, "track " + (t + 2) + " marker 0" + (t + 2));
      } else {
        while ((b = next(in, pos)) != BLOCK_END_2) {
          if (data.size() > MAX_TRACK) {
            throw new MalformedDataException(pos[0] - 1, "track 3 longer than " + MAX_TRACK + " bytes");
          }
          if (b == ESC) {
            throw new MalformedDataException(pos[0] - 1, "ESC inside track 3 (block end 3F 1C expected)");
          }
          data.write(b);
        }
        byte[] d = data.toByteArray();
        if (d.length == 0 || (d[d.length - 1] & 0xFF) != BLOCK_END_1) {
          throw new MalformedDataException(pos[0] - 1, "1C without the 3F before it");
        }
        data.reset();
        data.write(d, 0, d.length - 1);
      }
      tracks[t] = data.toByteArray();
    }
    int status = -1;
    if (readStatus) {
      expect(in, pos, ESC, "ESC before the status");
      status = next(in, pos);
    }
    return new Block(tracks, status);
  }

  private static int next(Input in, int[] pos) {
    int b = in.read();
    pos[0]++;
    return b;
  }

  private static void expect(Input in, int[] pos, int value, String what) {
    int b = next(in, pos);
    if (b != value) {
      throw new MalformedDataException(pos[0] - 1, "expected " + what);
    }
  }
}
