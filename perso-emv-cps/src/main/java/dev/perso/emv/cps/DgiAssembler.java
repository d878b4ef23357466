package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The card side of STORE DATA: reassembles DGIs from a sequence of blocks, including DGIs split
 * across commands (GP Card Spec 2.3.1 §11.11.2.3). Each completed DGI carries the encryption flag of
 * the block its header arrived in.
 *
 * <pre>{@code
 * DgiAssembler assembler = new DgiAssembler();
 * for (StoreDataBlock b : blocks) {
 *   for (PreparedDgi d : assembler.accept(b.p1(), b.data())) {   // or a received command's P1 and data
 *     store(d);
 *   }
 * }
 * assembler.finish();   // throws if a DGI is still incomplete
 * }</pre>
 */
public final class DgiAssembler {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean pendingEncrypted;
  private long consumed;

  /**
   * Feeds one block's data.
   *
   * @param p1 the STORE DATA command's P1: b6-b5 = 11 marks its DGIs as encrypted
   *     ({@link StoreDataBlock#P1_ENCRYPTED})
   * @param data the STORE DATA command data (unwrapped and C-DEC decrypted)
   * @return the DGIs completed by this block, in order
   * @throws MalformedDataException if a DGI header is split across blocks
   */
  public List<PreparedDgi> accept(int p1, Bytes data) {
    boolean encrypted = (p1 & StoreDataBlock.P1_ENCRYPTED) == StoreDataBlock.P1_ENCRYPTED;
    boolean hadPending = pending.size() > 0;
    if (!hadPending) {
      pendingEncrypted = encrypted;
    }
    pending.writeBytes(data.toByteArray());
    byte[] b = pending.toByteArray();
    List<PreparedDgi> done = new ArrayList<>();
    int at = 0;
    boolean flag = pendingEncrypted;
    while (at < b.length) {
      int left = b.length - at;
      if (left < 3 || ((b[at + 2] & 0xFF) == 0xFF && left < 5)) {
        throw new MalformedDataException((int) (consumed + at), "DGI header split across STORE DATA blocks");
      }
      int len = b[at + 2] & 0xFF;
      int valueAt = at + 3;
      if (len == 0xFF) {
        len = ((b[at + 3] & 0xFF) << 8) | (b[at + 4] & 0xFF);
        valueAt = at + 5;
      }
      if (b.length - valueAt < len) {
        break;
      }
      int id = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
      done.add(new PreparedDgi(Dgi.of(id, Bytes.of(b, valueAt, len)), flag));
      at = valueAt + len;
      flag = encrypted;
    }
    if (at > 0) {
      // Whatever is left started in this block.
      pendingEncrypted = encrypted;
    }
    consumed += at;
    pending.reset();
    pending.write(b, at, b.length - at);
    return done;
  }

  /** @return true if a DGI is waiting for more data */
  public boolean hasPartialDgi() {
    return pending.size() > 0;
  }

  /**
   * Call after the last block.
   *
   * @throws MalformedDataException if a DGI is incomplete
   */
  public void finish() {
    if (pending.size() > 0) {
      throw new MalformedDataException((int) consumed, "last STORE DATA block ends inside a DGI ("
          + pending.size() + " bytes pending)");
    }
  }
}
