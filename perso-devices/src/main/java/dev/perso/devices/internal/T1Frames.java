package dev.perso.devices.internal;

import dev.perso.devices.atr.Atr;
import dev.perso.devices.link.ByteLink;
import java.time.Duration;

/**
 * T=1 block framing shared by the host and card engines (ISO/IEC 7816-3 §11.3; layout, PCB coding
 * and EDC as in the CCID driver's {@code openct/proto-t1.c} and {@code checksum.c}). Not API.
 */
public final class T1Frames {
  private T1Frames() {}

  /** Largest INF field. */
  public static final int MAX_INF = 254;
  /** Buffer size that holds any block. */
  public static final int MAX_BLOCK = 3 + MAX_INF + 2;

  /** read result: nothing arrived before the first-byte timeout. */
  public static final int TIMEOUT = -1;
  /** read result: EDC mismatch. */
  public static final int EDC_ERROR = -2;
  /** read result: other error (truncated block, LEN = FF). */
  public static final int OTHER_ERROR = -3;

  private static final int[] CRC_TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
      }
      CRC_TABLE[i] = c;
    }
  }

  /**
   * @param b bytes
   * @param off first
   * @param len count
   * @return XOR of the bytes
   */
  public static int lrc(byte[] b, int off, int len) {
    int x = 0;
    for (int i = off; i < off + len; i++) {
      x ^= b[i];
    }
    return x & 0xFF;
  }

  /**
   * CCID {@code csum_crc_compute}: reflected CCITT (0x8408), init FFFF, no final XOR.
   *
   * @param b bytes
   * @param off first
   * @param len count
   * @return the 16-bit CRC, sent high byte first
   */
  public static int crc(byte[] b, int off, int len) {
    int c = 0xFFFF;
    for (int i = off; i < off + len; i++) {
      c = (c >>> 8) ^ CRC_TABLE[(c ^ b[i]) & 0xFF];
    }
    return c & 0xFFFF;
  }

  /** @param edc the EDC kind @return its length in bytes */
  public static int edcLength(Atr.Edc edc) {
    return edc == Atr.Edc.CRC ? 2 : 1;
  }

  /**
   * Builds a block.
   *
   * @param nad node address byte
   * @param pcb protocol control byte
   * @param inf information field source (may be null when len is 0)
   * @param off offset in {@code inf}
   * @param len INF length 0..254
   * @param edc EDC kind
   * @return the encoded block
   */
  public static byte[] block(int nad, int pcb, byte[] inf, int off, int len, Atr.Edc edc) {
    int el = edcLength(edc);
    byte[] b = new byte[3 + len + el];
    b[0] = (byte) nad;
    b[1] = (byte) pcb;
    b[2] = (byte) len;
    if (len > 0) {
      System.arraycopy(inf, off, b, 3, len);
    }
    if (edc == Atr.Edc.CRC) {
      int c = crc(b, 0, 3 + len);
      b[3 + len] = (byte) (c >>> 8);
      b[4 + len] = (byte) c;
    } else {
      b[3 + len] = (byte) lrc(b, 0, 3 + len);
    }
    return b;
  }

  /**
   * @param nad node address
   * @param pcb PCB
   * @param edc EDC kind
   * @return a block without INF
   */
  public static byte[] block(int nad, int pcb, Atr.Edc edc) {
    return block(nad, pcb, null, 0, 0, edc);
  }

  /**
   * @param nad node address
   * @param pcb PCB
   * @param value the one INF byte
   * @param edc EDC kind
   * @return a block with a 1-byte INF
   */
  public static byte[] block(int nad, int pcb, int value, Atr.Edc edc) {
    return block(nad, pcb, new byte[] {(byte) value}, 0, 1, edc);
  }

  /**
   * Reads one block into {@code buf}.
   *
   * @param link the link
   * @param first timeout for the first byte (BWT, possibly extended by WTX)
   * @param cwt timeout for each following byte
   * @param edc EDC kind
   * @param buf at least {@link #MAX_BLOCK} bytes
   * @return the block length, or {@link #TIMEOUT}, {@link #EDC_ERROR}, {@link #OTHER_ERROR}
   */
  public static int read(ByteLink link, Duration first, Duration cwt, Atr.Edc edc, byte[] buf) {
    int c = link.read(first);
    if (c < 0) {
      return TIMEOUT;
    }
    buf[0] = (byte) c;
    for (int i = 1; i < 3; i++) {
      c = link.read(cwt);
      if (c < 0) {
        return OTHER_ERROR;
      }
      buf[i] = (byte) c;
    }
    int len = buf[2] & 0xFF;
    if (len == 0xFF) {
      drain(link, cwt);
      return OTHER_ERROR;
    }
    int total = 3 + len + edcLength(edc);
    for (int i = 3; i < total; i++) {
      c = link.read(cwt);
      if (c < 0) {
        return OTHER_ERROR;
      }
      buf[i] = (byte) c;
    }
    return check(buf, edc);
  }

  /**
   * Checks the EDC of a complete block.
   *
   * @param buf the block, from offset 0, with LEN at offset 2
   * @param edc EDC kind
   * @return the block length, or {@link #EDC_ERROR}
   */
  public static int check(byte[] buf, Atr.Edc edc) {
    int len = buf[2] & 0xFF;
    if (edc == Atr.Edc.CRC) {
      int crc = crc(buf, 0, 3 + len);
      if (((buf[3 + len] & 0xFF) << 8 | (buf[4 + len] & 0xFF)) != crc) {
        return EDC_ERROR;
      }
    } else if (lrc(buf, 0, 3 + len) != (buf[3 + len] & 0xFF)) {
      return EDC_ERROR;
    }
    return 3 + len + edcLength(edc);
  }

  private static void drain(ByteLink link, Duration cwt) {
    for (int i = 0; i < MAX_BLOCK && link.read(cwt) >= 0; i++) {
      // discard the rest of a broken block
    }
  }

  /** @param pcb PCB @return true for an I-block */
  public static boolean isI(int pcb) {
    return (pcb & 0x80) == 0;
  }

  /** @param pcb PCB @return true for an R-block */
  public static boolean isR(int pcb) {
    return (pcb & 0xC0) == 0x80;
  }

  /** @param pcb PCB @return true for an S-block */
  public static boolean isS(int pcb) {
    return (pcb & 0xC0) == 0xC0;
  }

  /** @param b an encoded block @return true if it is an R-block */
  public static boolean isRBlock(byte[] b) {
    return b != null && isR(b[1] & 0xFF);
  }

  /** @param nad a NAD byte @return the NAD with DAD and SAD swapped, as the peer answers */
  public static int swapNad(int nad) {
    return ((nad & 0x07) << 4) | ((nad >>> 4) & 0x07);
  }
}
