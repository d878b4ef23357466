package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The public payment vectors (CVV, PVV, IBM 3624, ARQC, ARPC, ISO 9797-1 MACs) of notes/crypto-hsm.md
 * §3.2 and notes/magstripe-surface.md §2, run against every backend that computes them: each subclass
 * says how a clear test key becomes one of its keys. Row numbers are the notes' identifiers; each row
 * cites its outside source.
 */
abstract class PaymentVectorsContract {
  /** @return the backend under test */
  abstract CryptoBackend backend();

  /**
   * @param hex the clear test key
   * @param usage its role in the vector
   * @return the key as the backend holds it
   */
  abstract KeyRef key(String hex, KeyUsage usage);

  static Bytes h(String hex) {
    return Bytes.fromHex(hex);
  }

  @ParameterizedTest(name = "#14 ARQC")
  @CsvSource({
    // #14 pyemv ac.py module doctest, padding method 2 (EMV)
    "29B33180E567CE38EA4CBC9D753B0E61, 0123456789ABCDEF0123456789ABCDEF, FA624250B008B59A",
  })
  void arqc(String sk, String data, String expected) {
    assertThat(backend().arqc(key(sk, KeyUsage.IMK_AC), Padding.EMV, h(data)).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#15 ARPC method 1")
  @CsvSource({
    // #15 pyemv generate_arpc_1 doctest
    "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB, 1234567890ABCDEF, 0000, F5E6F44147E2F1B0",
  })
  void arpc(String sk, String arqc, String arc, String expected) {
    assertThat(backend().arpc(key(sk, KeyUsage.IMK_AC), h(arqc), h(arc)).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#{0} {1} {2}")
  @CsvSource({
    // #26 knovichikhin/psec tests/test_mac.py: alg 3, K=41.. K'=42.., 'hello world', pad 1
    "26, ISO9797_1_ALG3, METHOD_1, 41414141414141414242424242424242, 68656C6C6F20776F726C64, 3DDE5C5511661CBF",
    // #27 knovichikhin/psec tests/test_mac.py: same, pad 2
    "27, ISO9797_1_ALG3, METHOD_2, 41414141414141414242424242424242, 68656C6C6F20776F726C64, E16941032C3BC7D4",
    // #29 pyemv sm.py doctest (generate_command_mac)
    "29, ISO9797_1_ALG3, METHOD_2, 0123456789ABCDEFFEDCBA9876543210, 8424000008, 0BFFF5DF3FAA24E1",
    // #32 knovichikhin/psec tests/test_mac.py: alg 1 (3DES CBC-MAC), pad 1
    "32, ISO9797_1_ALG1, METHOD_1, AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB, 68656C6C6F20776F726C64, 68D9038F23360DF3",
    // #34 knovichikhin/psec generate_cbc_mac doctest, pad 2
    "34, ISO9797_1_ALG1, METHOD_2, 0123456789ABCDEFFEDCBA9876543210, 1234567890ABCDEF, 925B1737EF681AD3",
  })
  void iso9797Macs(int row, MacAlgorithm alg, Padding pad, String key, String data, String expected) {
    assertThat(backend().mac(key(key, KeyUsage.DATA), alg, pad, h(data)).toHex()).isEqualTo(expected);
    assertThat(backend().verifyMac(key(key, KeyUsage.DATA), alg, pad, h(data), h(expected).slice(0, 4))).isTrue();
    assertThat(backend().verifyMac(key(key, KeyUsage.DATA), alg, pad, h(data), h("00000000"))).isFalse();
  }

  @ParameterizedTest(name = "{0} CVV")
  @CsvSource({
    // C1 ilya-dubinsky/cfpp:c/test/test_magstripe.c (classic); 3DES output 5B614982E03C97DD
    "C1, 0123456789ABCDEF, FEDCBA9876543210, 4123456789012345, 8701, 101, 561",
    // C5 knovichikhin/psec:psec/cvv.py (doctest); 3DES output B170E2B8F427BF99
    "C5, 0123456789ABCDEF, FEDCBA9876543210, 1234567890123456, 9912, 220, 170",
    // C6 knovichikhin/psec:tests/test_cvv.py; 3DES output 361119AD0519E4AF
    "C6, 9999999999999999, 8888888888888888, 2222222222222222, 3333, 111, 361",
  })
  void cvv(String row, String a, String b, String pan, String exp, String sc, String expected) {
    assertThat(backend().cvv(key(a + b, KeyUsage.CVK), CvvInput.of(pan, exp, sc))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} PVV")
  @CsvSource({
    // P1 knovichikhin/psec:psec/pin.py doctest (TSP 3344556677834524)
    "P1, 3, 4524, 1122334455667788, 4021",
    // P2 knovichikhin/psec:tests/test_pin.py (TSP 3344556677814524)
    "P2, 1, 4524, 1122334455667788, 8523",
    // P3 knovichikhin/psec:tests/test_pin.py (TSP 3344556677821912)
    "P3, 2, 1912, 1122334455667788, 3244",
  })
  void pvv(String row, int pvki, String pin, String pan, String expected) {
    assertThat(backend().pvv(key("0123456789ABCDEFFEDCBA9876543210", KeyUsage.PVK), pan, pvki, pin)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "X1 IBM 3624 offset {0} -> PIN {1}")
  @CsvSource({
    // X1 knovichikhin/psec:tests/test_pin.py: natural PIN 4524 (offset 0000) and the published pairs
    "0000, 4524",
    "1111, 5635",
    "6586, 0000",
    "7697, 1111",
    "7710, 1234",
  })
  void ibm3624(String offset, String pin) {
    KeyRef pvk = key("0123456789ABCDEFFEDCBA9876543210", KeyUsage.PVK);
    Ibm3624 p = Ibm3624.of(Ibm3624.validationDataFromPan("1122334455667788", 0, 16, 'F'), "1234567890123456", 4);
    String natural = backend().ibm3624NaturalPin(pvk, p);
    assertThat(natural).isEqualTo("4524");
    assertThat(Ibm3624.applyOffset(natural, offset)).isEqualTo(pin);
    assertThat(backend().ibm3624Offset(pvk, p, pin)).isEqualTo(offset);
  }}
