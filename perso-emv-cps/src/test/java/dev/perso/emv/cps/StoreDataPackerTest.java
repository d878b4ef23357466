package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreDataPackerTest {

  // DGI 8000 and 9000 values from public VSDC/PBOC perso scripts (gp-emv-cps notes §3.7).
  private static final Dgi KEYS = Dgi.of(0x8000, Bytes.fromHex(
      "112233440066778811223344550077888B4F854F0831FBF2635A212E4DDDB92A11220044556677881122330055667788"));
  private static final Dgi KCVS = Dgi.of(0x9000, Bytes.fromHex("97DCB0CE4E2CB37DF3"));
  private static final Dgi PIN_TRY = Dgi.of(0x9010, Bytes.fromHex("0303"));

  @Test
  void plaintextDgisShareACommandAndEncryptedOnesGetTheirOwn() {
    // P1 per GP 2.3.1 §11.11.2.1 as used by EMV CPS tooling: 00 plain, 60 encrypted, 80 last (notes §2.6).
    List<StoreDataBlock> blocks = StoreDataPacker.builder().build().pack(List.of(
        new PreparedDgi(KCVS, false), new PreparedDgi(PIN_TRY, false), new PreparedDgi(KEYS, true)));
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).p1()).isEqualTo(0x00);
    assertThat(blocks.get(0).p2()).isEqualTo(0x00);
    assertThat(blocks.get(0).data().toHex()).isEqualTo("90000997DCB0CE4E2CB37DF3" + "9010020303");
    assertThat(blocks.get(0).dgis()).containsExactly("9000", "9010");
    assertThat(blocks.get(1).p1()).isEqualTo(0xE0);
    assertThat(blocks.get(1).p2()).isEqualTo(0x01);
    assertThat(blocks.get(1).data()).isEqualTo(KEYS.encode());
    assertThat(blocks.get(1).command().encode().toHex()).startsWith("80E2E00133" + "800030");
  }

  @Test
  void largeDgiIsSplitWithItsFullLengthInTheFirstBlock() {
    Dgi big = Dgi.of(0x0101, Bytes.of(new byte[300]));
    List<StoreDataBlock> blocks = StoreDataPacker.builder().capacity(239).dgiFormatBit(true).build()
        .pack(List.of(new PreparedDgi(big, false)));
    assertThat(blocks).extracting(StoreDataBlock::p1).containsExactly(0x08, 0x88);
    assertThat(blocks.get(0).data().slice(0, 5).toHex()).isEqualTo("0101FF012C");
    assertThat(blocks.get(0).data().length()).isEqualTo(239);
    assertThat(blocks.get(1).data().length()).isEqualTo(305 - 239);
    assertThat(blocks.get(1).dgis()).containsExactly("0101");
  }

  @Test
  void headerIsNeverSplit() {
    Dgi first = Dgi.of(0x0101, Bytes.of(new byte[10]));   // 13 bytes encoded
    Dgi second = Dgi.of(0x0102, Bytes.of(new byte[4]));   // header would need 3 bytes, only 2 left
    List<StoreDataBlock> blocks = StoreDataPacker.builder().capacity(15).build()
        .pack(List.of(new PreparedDgi(first, false), new PreparedDgi(second, false)));
    assertThat(blocks.get(0).data().length()).isEqualTo(13);
    assertThat(blocks.get(1).data().slice(0, 3).toHex()).isEqualTo("010204");
  }

  @Test
  void moreThan256BlocksIsAnError() {
    List<PreparedDgi> many = new ArrayList<>();
    for (int i = 0; i < 257; i++) {
      many.add(new PreparedDgi(Dgi.of(0x0101 + i, Bytes.of(new byte[2])), i % 2 == 0));
    }
    assertThatThrownBy(() -> StoreDataPacker.builder().build().pack(many))
        .isInstanceOf(ValidationException.class).hasMessageContaining("257 blocks");
  }

  @Test
  void capacityMustHoldAHeader() {
    assertThatThrownBy(() -> StoreDataPacker.builder().capacity(4))
        .isInstanceOf(ValidationException.class).hasMessageContaining("capacity");
  }
}
