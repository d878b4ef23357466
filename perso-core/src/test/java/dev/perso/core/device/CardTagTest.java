package dev.perso.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A tag names a physical card by its serial; the record it carries may change when a later stage identifies it. */
class CardTagTest {

  @Test
  void aCardRenamedForAnotherRecordIsStillTheSameCard() {
    CardTag fed = new CardTag(7, "0001");
    CardTag identified = fed.withRecord("0004");

    assertThat(identified.serial()).isEqualTo(7);
    assertThat(identified.recordId()).isEqualTo("0004");
    assertThat(identified).isEqualTo(fed).hasSameHashCodeAs(fed);
    assertThat(new CardTag(8, "0001")).isNotEqualTo(fed);
    Set<CardTag> inside = new HashSet<>(Set.of(fed));
    assertThat(inside.contains(identified)).isTrue();
    assertThat(identified.toString()).isEqualTo("card #7 (record 0004)");
  }

  @Test
  void aSerialIsPositiveAndARecordIsRequired() {
    assertThatThrownBy(() -> new CardTag(0, "0001")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CardTag(1, null)).isInstanceOf(NullPointerException.class);
  }
}
