package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import java.util.List;

/**
 * One STORE DATA command's worth of DGI data, before secure-messaging wrapping.
 *
 * <pre>{@code
 * for (StoreDataBlock b : StoreDataPacker.builder().capacity(239).build().pack(dgis)) {
 *   channel.transmit(b.command()).requireSuccess("STORE DATA block " + b.p2());
 * }
 * }</pre>
 *
 * @param p1 P1: b8 last block, b7-b6 {@code 11} all DGIs encrypted, b5-b4 {@code 01} DGI format
 * @param p2 the block number 00..FF
 * @param data the DGI bytes (marked secret)
 * @param dgis the DGIs whose bytes are in this block, in order, as 4 hex digits (for the audit trail)
 */
public record StoreDataBlock(int p1, int p2, Bytes data, List<String> dgis) {

  /** P1 b8: last block. */
  public static final int P1_LAST_BLOCK = 0x80;
  /** P1 b7-b6 = 11: all DGIs in the command are encrypted. */
  public static final int P1_ENCRYPTED = 0x60;
  /** P1 b5-b4 = 01: data in DGI format (GP 2.3.1 §11.11.2.1). */
  public static final int P1_DGI_FORMAT = 0x08;

  /** Copies the DGI list. */
  public StoreDataBlock {
    dgis = List.copyOf(dgis);
    data = data.asSecret();
  }

  /** @return true if P1 marks the last block */
  public boolean isLast() {
    return (p1 & P1_LAST_BLOCK) != 0;
  }

  /** @return true if P1 says every DGI in the block is encrypted */
  public boolean isEncrypted() {
    return (p1 & P1_ENCRYPTED) == P1_ENCRYPTED;
  }

  /** @return the unwrapped command: CLA 80, INS E2, P1, P2, data */
  public dev.perso.core.apdu.CommandApdu command() {
    return dev.perso.core.apdu.CommandApdu.of(0x80, 0xE2, p1, p2, data);
  }

  /** @return e.g. {@code STORE DATA P1=60 P2=03 [8000, 8010] 64 bytes}; never the data */
  @Override
  public String toString() {
    // built for every command's audit line: concatenation, not String.format (~3% of CpsBenchmark)
    return "STORE DATA P1=" + Hex.byteToHex(p1) + " P2=" + Hex.byteToHex(p2) + " " + dgis + " " + data.length()
        + " bytes";
  }
}
