package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.devices.memory.internal.Sle44x2Chip;
import org.junit.jupiter.api.Test;

/**
 * The SLE4442 2-wire driver against the in-memory chip: the verification sequence of
 * DangerousPrototypes/BusPirate5-firmware@0859db15 src/commands/2wire/sle4442.c (sle4442_unlock), notes §5.1.
 */
class Sle44x2WireTest {
  private static final Bytes PSC = Bytes.fromHex("FFFFFF"); // transport PSC (notes §5.1, smartcard_list)

  @Test
  void answerToResetIsTheAtrHeader() {
    Sle44x2Wire w = new Sle44x2Wire(new Sle44x2Chip(true, PSC, 7));
    assertThat(w.reset()).isEqualTo(Bytes.fromHex("A2131091")); // notes §5.1: raw ATR A2 13 10 91
  }

  @Test
  void writesAreIgnoredUntilThePscIsVerifiedThenTakeEffect() {
    Sle44x2Chip chip = new Sle44x2Chip(true, PSC, 7);
    Sle44x2Wire w = new Sle44x2Wire(chip);
    w.update(0x40, Bytes.fromHex("1234"));
    assertThat(w.readMain(0x40, 2)).isEqualTo(Bytes.fromHex("FFFF"));
    assertThat(w.presentCode(SecretBytes.fromHex("FFFFFF"))).isEqualTo(0x07);
    w.update(0x40, Bytes.fromHex("1234"));
    assertThat(w.readMain(0x40, 2)).isEqualTo(Bytes.fromHex("1234"));
    // security memory: EC then the PSC, readable once verified
    assertThat(w.errorCounter()).isEqualTo(0x07);
    w.reset(); // power cycle: locked again
    w.update(0x40, Bytes.fromHex("0000"));
    assertThat(w.readMain(0x40, 2)).isEqualTo(Bytes.fromHex("1234"));
  }

  @Test
  void eachWrongCodeSpendsOneBitAndALockedChipIsNotTouched() {
    Sle44x2Chip chip = new Sle44x2Chip(true, PSC, 7);
    Sle44x2Wire w = new Sle44x2Wire(chip);
    assertThat(w.presentCode(SecretBytes.fromHex("000000"))).isEqualTo(0x06);
    assertThat(w.presentCode(SecretBytes.fromHex("FFFF00"))).isEqualTo(0x04);
    assertThat(w.presentCode(SecretBytes.fromHex("FFFFFF"))).isEqualTo(0x07); // a right code restores all 3
    w.reset(); // power cycle: locked again (an unlocked chip lets its counter be rewritten)
    w.presentCode(SecretBytes.fromHex("000000"));
    w.presentCode(SecretBytes.fromHex("000000"));
    assertThat(w.presentCode(SecretBytes.fromHex("000000"))).isEqualTo(0x00);
    assertThat(w.presentCode(SecretBytes.fromHex("FFFFFF"))).isEqualTo(0x00); // locked for good
    assertThat(chip.unlocked()).isFalse();
  }

  @Test
  void protectionIsWrittenByAndOnlyWhenTheDataMatches() {
    Sle44x2Chip chip = new Sle44x2Chip(true, PSC, 7);
    Sle44x2Wire w = new Sle44x2Wire(chip);
    w.presentCode(SecretBytes.fromHex("FFFFFF"));
    w.update(4, Bytes.fromHex("AABB"));
    w.writeProtection(4, Bytes.fromHex("AA00")); // byte 5 holds BB: not protected
    assertThat(w.readProtection()).isEqualTo(Bytes.fromHex("EFFFFFFF")); // bit 4 of PROT1 cleared
    w.update(4, Bytes.fromHex("0000"));
    assertThat(w.readMain(4, 2)).isEqualTo(Bytes.fromHex("AA00"));       // protected byte unchanged
  }

  @Test
  void theCodeChangesOnlyAfterVerification() {
    Sle44x2Chip chip = new Sle44x2Chip(true, PSC, 7);
    Sle44x2Wire w = new Sle44x2Wire(chip);
    w.changeCode(SecretBytes.fromHex("123456"));
    assertThat(w.presentCode(SecretBytes.fromHex("123456"))).isEqualTo(0x06);
    assertThat(w.presentCode(SecretBytes.fromHex("FFFFFF"))).isEqualTo(0x07);
    w.changeCode(SecretBytes.fromHex("123456"));
    w.reset();
    assertThat(w.presentCode(SecretBytes.fromHex("123456"))).isEqualTo(0x07);
  }
}
