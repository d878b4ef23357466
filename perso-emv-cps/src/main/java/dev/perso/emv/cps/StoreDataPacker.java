package dev.perso.emv.cps;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs DGIs into STORE DATA blocks (GP Card Spec 2.3.1 §11.11, EMV CPS v1.1): several DGIs per
 * command up to the capacity; a DGI longer than the space left is split, its length field stating the
 * full length and its value continuing in the next command (§11.11.2.3). A DGI header is never split.
 * Encrypted and plaintext DGIs never share a command, because P1 b7-b6 speaks for the whole command.
 * P2 counts 00..FF; more than 256 blocks is an error. The last block has P1 b8 set.
 *
 * <pre>{@code
 * StoreDataPacker packer = StoreDataPacker.builder()
 *     .capacity(secureChannel.capacity())   // data bytes left per command at the security level
 *     .dgiFormatBit(false)                  // P1 0x08, for GP 2.3 cards that demand it
 *     .build();
 * List<StoreDataBlock> blocks = packer.pack(preparedDgis);
 * }</pre>
 */
public final class StoreDataPacker {
  /** Most blocks in one STORE DATA sequence: P2 is one byte. */
  public static final int MAX_BLOCKS = 256;
  private static final int MAX_HEADER = 5;

  private final int capacity;
  private final boolean dgiFormatBit;

  private StoreDataPacker(Builder b) {
    this.capacity = b.capacity;
    this.dgiFormatBit = b.dgiFormatBit;
  }

  /** @return a builder; capacity defaults to 239 (255 − 8 C-MAC − 8 worst-case C-DEC padding) */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the data bytes per command */
  public int capacity() {
    return capacity;
  }

  /**
   * @param dgis the DGIs in the order they must be stored
   * @return the blocks, the last one marked
   * @throws ValidationException if the DGIs need more than 256 blocks, or the list is empty
   */
  public List<StoreDataBlock> pack(List<PreparedDgi> dgis) {
    if (dgis.isEmpty()) {
      throw new ValidationException("dgis", "at least one DGI is needed for STORE DATA");
    }
    List<Pending> pending = new ArrayList<>();
    Pending current = null;
    for (PreparedDgi p : dgis) {
      Bytes header = p.dgi().header();
      Bytes value = p.dgi().value();
      if (current != null && (current.encrypted != p.encrypted() || capacity - current.buf.size() < header.length())) {
        current = null;
      }
      if (current == null) {
        current = new Pending(p.encrypted());
        pending.add(current);
      }
      current.write(header);
      current.note(p.dgi().idHex());
      int written = 0;
      while (written < value.length()) {
        int space = capacity - current.buf.size();
        if (space == 0) {
          current = new Pending(p.encrypted());
          pending.add(current);
          current.note(p.dgi().idHex());
          space = capacity;
        }
        int n = Math.min(space, value.length() - written);
        current.write(value.slice(written, written + n));
        written += n;
      }
    }
    if (pending.size() > MAX_BLOCKS) {
      throw new ValidationException("storeData", "needs " + pending.size() + " blocks; P2 allows at most "
          + MAX_BLOCKS + " per sequence");
    }
    List<StoreDataBlock> blocks = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      Pending b = pending.get(i);
      int p1 = (b.encrypted ? StoreDataBlock.P1_ENCRYPTED : 0) | (dgiFormatBit ? StoreDataBlock.P1_DGI_FORMAT : 0)
          | (i == pending.size() - 1 ? StoreDataBlock.P1_LAST_BLOCK : 0);
      blocks.add(new StoreDataBlock(p1, i, OwnedBytes.wrap(b.buf.toByteArray()), b.dgis));
    }
    return List.copyOf(blocks);
  }

  private static final class Pending {
    final boolean encrypted;
    final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    final List<String> dgis = new ArrayList<>();

    Pending(boolean encrypted) {
      this.encrypted = encrypted;
    }

    void write(Bytes b) {
      buf.writeBytes(b.toByteArray());
    }

    void note(String dgi) {
      if (dgis.isEmpty() || !dgis.get(dgis.size() - 1).equals(dgi)) {
        dgis.add(dgi);
      }
    }
  }

  /** Configures a {@link StoreDataPacker}. */
  public static final class Builder {
    private int capacity = 239;
    private boolean dgiFormatBit;

    private Builder() {}

    /**
     * @param bytes data bytes per STORE DATA command after wrapping overhead, 5..65535
     * @return this builder
     */
    public Builder capacity(int bytes) {
      if (bytes < MAX_HEADER || bytes > 0xFFFF) {
        throw new ValidationException("capacity", "must be 5..65535 bytes (room for a DGI header), was " + bytes);
      }
      this.capacity = bytes;
      return this;
    }

    /**
     * @param set whether P1 carries b5-b4 = 01 (DGI format), as some GP 2.3 cards require
     * @return this builder
     */
    public Builder dgiFormatBit(boolean set) {
      this.dgiFormatBit = set;
      return this;
    }

    /** @return the packer */
    public StoreDataPacker build() {
      return new StoreDataPacker(this);
    }
  }
}
