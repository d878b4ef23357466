package dev.perso.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The project's DES/TDES ({@link Des}) against published known answers, against Bouncy Castle's
 * DESEngine/DESedeEngine and the JDK's SunJCE DESede for random keys and blocks, and its swap-based
 * initial permutation against the FIPS 46-3 IP table.
 */
class DesTest {

  private static long hex(String h) {
    return Long.parseUnsignedLong(h, 16);
  }

  private static String hex(long v) {
    return String.format("%016X", v);
  }

  @ParameterizedTest(name = "DES {0} {1} -> {2}")
  @CsvSource({
    // NIST SP 800-20 (= SP 800-17) Table 1, variable plaintext known answer test, key 01..01
    "0101010101010101, 8000000000000000, 95F8A5E5DD31D900",
    "0101010101010101, 4000000000000000, DD7F121CA5015619",
    "0101010101010101, 2000000000000000, 2E8653104F3834EA",
    "0101010101010101, 0000000000000001, 166B40B44ABA4BD6",
    // NIST SP 800-20 Table 2, variable key known answer test, plaintext 00..00
    "8001010101010101, 0000000000000000, 95A8D72813DAA94D",
    "4001010101010101, 0000000000000000, 0EEC1487DD8C26D5",
    // FIPS 81 Appendix B, Table B1 (ECB): "Now is the time for all " under 0123456789ABCDEF
    "0123456789ABCDEF, 4E6F772069732074, 3FA40E8A984D4815",
    "0123456789ABCDEF, 68652074696D6520, 6A271787AB8883F9",
    "0123456789ABCDEF, 666F7220616C6C20, 893D51EC4B563B53",
    // J. Orlin Grabbe, "The DES Algorithm Illustrated" worked example
    "133457799BBCDFF1, 0123456789ABCDEF, 85E813540F0AB405",
  })
  void singleDesKnownAnswers(String key, String plain, String cipher) {
    Des des = Des.of(Bytes.fromHex(key).toByteArray());
    assertThat(hex(des.encrypt(hex(plain)))).isEqualTo(cipher);
    assertThat(hex(des.decrypt(hex(cipher)))).isEqualTo(plain);
  }

  @Test
  void tripleDesKnownAnswerOfSp80067() {
    // NIST SP 800-67 Rev. 1 Appendix B example: three keys, "The qufck brown fox jump" in ECB
    Des des = Des.of(Bytes.fromHex("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123").toByteArray());
    String[] plain = {"5468652071756663", "6B2062726F776E20", "666F78206A756D70"};
    String[] cipher = {"A826FD8CE53B855F", "CCE21C8112256FE6", "68D5C05DD9B6B900"};
    for (int i = 0; i < 3; i++) {
      assertThat(hex(des.encrypt(hex(plain[i])))).isEqualTo(cipher[i]);
      assertThat(hex(des.decrypt(hex(cipher[i])))).isEqualTo(plain[i]);
    }
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.of(8, 16, 24).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
  }

  @Property(tries = 300)
  void agreesWithBouncyCastle(@ForAll("keys") byte[] key, @ForAll long block) {
    Des des = Des.of(key);
    byte[] in = new byte[8];
    Des.store(block, in, 0);
    byte[] enc = new byte[8];
    byte[] dec = new byte[8];
    org.bouncycastle.crypto.BlockCipher e = key.length == 8 ? new DESEngine() : new DESedeEngine();
    org.bouncycastle.crypto.BlockCipher d = key.length == 8 ? new DESEngine() : new DESedeEngine();
    e.init(true, new KeyParameter(key));
    d.init(false, new KeyParameter(key));
    e.processBlock(in, 0, enc, 0);
    d.processBlock(in, 0, dec, 0);
    assertThat(des.encrypt(block)).isEqualTo(Des.load(enc, 0));
    assertThat(des.decrypt(block)).isEqualTo(Des.load(dec, 0));
    assertThat(des.decrypt(des.encrypt(block))).isEqualTo(block);
  }

  @Property(tries = 200)
  void agreesWithTheJdksDesede(@ForAll("keys") byte[] key, @ForAll long block) throws Exception {
    byte[] k24 = new byte[24];   // SunJCE DESede takes 24 bytes: K1 K2 K1 for a double-length key
    for (int i = 0; i < 24; i++) {
      k24[i] = key[i % key.length];
    }
    Cipher c = Cipher.getInstance("DESede/ECB/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k24, "DESede"));
    byte[] in = new byte[8];
    Des.store(block, in, 0);
    assertThat(Des.of(key).encrypt(block)).isEqualTo(Des.load(c.doFinal(in), 0));
  }

  @Property(tries = 200)
  void ecbOfSeveralBlocksIsEachBlockAlone(@ForAll("keys") byte[] key,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 9) int blocks, @ForAll long seed) {
    // the two-blocks-at-a-time path and the odd last block give what one block at a time gives
    Des des = Des.of(key);
    byte[] in = new byte[8 * blocks];
    new java.util.Random(seed).nextBytes(in);
    byte[] enc = new byte[in.length];
    byte[] dec = new byte[in.length];
    des.ecb(true, in, enc);
    des.ecb(false, in, dec);
    for (int off = 0; off < in.length; off += 8) {
      assertThat(Des.load(enc, off)).isEqualTo(des.encrypt(Des.load(in, off)));
      assertThat(Des.load(dec, off)).isEqualTo(des.decrypt(Des.load(in, off)));
    }
    byte[] same = in.clone();
    des.ecb(true, same, same);
    assertThat(same).isEqualTo(enc);
  }

  @Property(tries = 200)
  void halvesAreTheSingleDesKeysOfTheirBytes(@ForAll("keys") byte[] key, @ForAll long block) {
    if (key.length == 8) {
      assertThatThrownBy(() -> Des.of(key).half(0)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    Des des = Des.of(key);
    for (int h = 0; h < 2; h++) {
      Des single = Des.of(java.util.Arrays.copyOfRange(key, 8 * h, 8 * h + 8));
      assertThat(des.half(h).encrypt(block)).isEqualTo(single.encrypt(block));
      assertThat(des.half(h).decrypt(block)).isEqualTo(single.decrypt(block));
    }
  }

  @Property(tries = 300)
  void swapInitialPermutationIsTheFipsTableRotated(@ForAll long block) {
    // FIPS 46-3 initial permutation IP (input bit numbers 1..64, 1 = most significant)
    int[] ip = {58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6,
      64, 56, 48, 40, 32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
      61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7};
    long permuted = 0;
    for (int i = 0; i < 64; i++) {
      if ((block & (1L << (64 - ip[i]))) != 0) {
        permuted |= 1L << (63 - i);
      }
    }
    long rotated = ((long) Integer.rotateLeft((int) (permuted >>> 32), 1) << 32)
        | (Integer.rotateLeft((int) permuted, 1) & 0xFFFFFFFFL);
    assertThat(Des.ip(block)).isEqualTo(rotated);
    // FP is IP's inverse (the rounds leave R16 in the high word, which FP takes as the left half)
    assertThat(Des.fp(rotated)).isEqualTo(block);
  }

  @Test
  void wipedKeyNoLongerEncryptsAsTheKey() {
    Des des = Des.of(Bytes.fromHex("0123456789ABCDEF").toByteArray());
    long before = des.encrypt(hex("4E6F772069732074"));
    des.wipe();
    assertThat(hex(before)).isEqualTo("3FA40E8A984D4815");
    // all-zero round keys: the result no longer depends on the key
    Des zero = Des.of(new byte[8]);
    zero.wipe();
    assertThat(des.encrypt(hex("4E6F772069732074"))).isEqualTo(zero.encrypt(hex("4E6F772069732074")));
  }

  @Test
  void refusesOtherKeyLengths() {
    assertThatThrownBy(() -> Des.of(new byte[12])).isInstanceOf(ValidationException.class)
        .hasMessageContaining("key").hasMessageContaining("12");
  }
}
