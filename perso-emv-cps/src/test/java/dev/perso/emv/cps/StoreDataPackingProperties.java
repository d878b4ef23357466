package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class StoreDataPackingProperties {

  // Sizes are bounded so that no set needs more than 256 blocks: at most 12 DGIs of 305 encoded bytes
  // over blocks of 16 or more (229 blocks), plus one block per encryption switch (12).
  private static Arbitrary<List<PreparedDgi>> dgiSets(int maxValue) {
    Arbitrary<PreparedDgi> one = Combinators.combine(
        Arbitraries.integers().between(0, 0xFFFF),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(maxValue),
        Arbitraries.of(true, false))
        .as((id, value, enc) -> new PreparedDgi(Dgi.of(id, Bytes.of(value)), enc));
    return one.list().ofMinSize(1).ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<PreparedDgi>> dgiSets() {
    return dgiSets(300);
  }

  @Provide
  Arbitrary<List<PreparedDgi>> smallDgiSets() {
    return dgiSets(40);
  }

  @Property(tries = 300)
  void cardReassemblesExactlyTheInputDgis(@ForAll("dgiSets") List<PreparedDgi> dgis,
      @ForAll @IntRange(min = 16, max = 255) int capacity, @ForAll boolean formatBit) {
    reassemble(dgis, capacity, formatBit);
  }

  @Property(tries = 200)
  void tinyCapacitiesStillReassemble(@ForAll("smallDgiSets") List<PreparedDgi> dgis,
      @ForAll @IntRange(min = 5, max = 15) int capacity, @ForAll boolean formatBit) {
    reassemble(dgis, capacity, formatBit);
  }

  private static void reassemble(List<PreparedDgi> dgis, int capacity, boolean formatBit) {
    List<StoreDataBlock> blocks = StoreDataPacker.builder().capacity(capacity).dgiFormatBit(formatBit).build()
        .pack(dgis);
    DgiAssembler card = new DgiAssembler();
    List<PreparedDgi> stored = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      StoreDataBlock b = blocks.get(i);
      assertThat(b.p2()).isEqualTo(i);
      assertThat(b.isLast()).isEqualTo(i == blocks.size() - 1);
      assertThat(b.data().length()).isBetween(1, capacity);
      assertThat((b.p1() & StoreDataBlock.P1_DGI_FORMAT) != 0).isEqualTo(formatBit);
      stored.addAll(card.accept(b.p1(), b.data()));
    }
    card.finish();
    assertThat(stored).isEqualTo(dgis);
  }

  @Property
  void arbitraryBlocksGiveDgisOrMalformedData(@ForAll List<byte[]> blocks) {
    DgiAssembler card = new DgiAssembler();
    try {
      for (byte[] b : blocks) {
        card.accept(0x00, Bytes.of(b));
      }
      card.finish();
    } catch (MalformedDataException expected) {
      assertThat(expected.offset()).isGreaterThanOrEqualTo(0);
    }
  }

  @Property
  void arbitraryBytesParseToDgisOrMalformedData(@ForAll byte[] data) {
    try {
      List<Dgi> dgis = Dgi.parseAll(Bytes.of(data));
      Bytes again = Bytes.concat(dgis.stream().map(Dgi::encode).toArray(Bytes[]::new));
      assertThat(again.length()).isLessThanOrEqualTo(data.length);
    } catch (MalformedDataException expected) {
      assertThat(expected.offset()).isBetween(0, data.length);
    }
  }
}
