package dev.perso.crypto;

import dev.perso.core.cardholder.Pin;
import dev.perso.core.cardholder.Pan;
import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import java.util.List;
import java.util.Set;

/**
 * A crypto device seen as whole operations, so an HSM can run each one natively with its master keys
 * inside. Keys are {@link KeyRef}s, never raw bytes. A backend declares what it can do in
 * {@link #capabilities()}; any other operation fails with a {@link CryptoException} naming the backend
 * and the operation. Implementations are thread-safe.
 *
 * <p>Found through {@link java.util.ServiceLoader} as a convenience; explicit construction always works.
 *
 * <pre>{@code
 * try (CryptoBackend crypto = new SoftwareBackend()) {
 *   KeyRef imk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, "0123456789ABCDEFFEDCBA9876543210");
 *   KeyRef icc = crypto.derive(imk, Derivation.emvOptionA("12345678901234567", "01"));
 *   Bytes arqc = crypto.arqc(crypto.derive(icc, Derivation.emvCommonSessionKey(r)), Padding.EMV, cdol1Data);
 * }
 * }</pre>
 */
public interface CryptoBackend extends AutoCloseable {
  /** @return a short name for messages and logs, e.g. {@code software} or {@code pkcs11:SoftHSM} */
  String id();

  /** @return the operations this backend runs */
  Set<Operation> capabilities();

  /**
   * @param operation an operation
   * @return true if {@link #capabilities()} contains it
   */
  default boolean supports(Operation operation) {
    return capabilities().contains(operation);
  }

  /**
   * Encrypts block-aligned data.
   *
   * @param key the key
   * @param spec mode and IV
   * @param data a whole number of blocks
   * @return the ciphertext
   */
  default Bytes encrypt(KeyRef key, CipherSpec spec, Bytes data) {
    throw unsupported(Operation.ENCRYPT);
  }

  /**
   * Decrypts block-aligned data.
   *
   * @param key the key
   * @param spec mode and IV
   * @param data a whole number of blocks
   * @return the plaintext, marked secret
   */
  default Bytes decrypt(KeyRef key, CipherSpec spec, Bytes data) {
    throw unsupported(Operation.DECRYPT);
  }

  /**
   * Decrypts under one key and re-encrypts under another as one operation (for example data
   * preparation's transport KEK to the card's session DEK).
   *
   * @param from the key the data is encrypted under
   * @param fromSpec its mode and IV
   * @param to the key to encrypt under
   * @param toSpec its mode and IV
   * @param data the ciphertext under {@code from}
   * @return the ciphertext under {@code to}
   */
  default Bytes translate(KeyRef from, CipherSpec fromSpec, KeyRef to, CipherSpec toSpec, Bytes data) {
    throw unsupported(Operation.TRANSLATE);
  }

  /**
   * Translates one encrypted PIN block from a key and format to another key and format (for example
   * data preparation's ISO format 1 block under the transport KEK to the ISO format 2 block the card
   * wants under the session DEK). The clear PIN never leaves the backend; a block that does not decode
   * in the source format is a {@link dev.perso.core.MalformedDataException} that never quotes a digit.
   *
   * @param translation the keys, formats, modes and padding
   * @param encryptedBlock the block under {@link PinBlockTranslation#from()}
   * @return the block under {@link PinBlockTranslation#to()}
   */
  default Bytes translatePinBlock(PinBlockTranslation translation, Bytes encryptedBlock) {
    throw unsupported(Operation.TRANSLATE_PIN_BLOCK);
  }

  /**
   * Computes a MAC.
   *
   * @param key the key
   * @param algorithm the MAC algorithm
   * @param padding ISO 9797-1 padding; {@link Padding#NONE} for CMAC
   * @param data the message
   * @return the full MAC (8 bytes for DES family, 16 for AES CMAC); truncate as the protocol says
   */
  default Bytes mac(KeyRef key, MacAlgorithm algorithm, Padding padding, Bytes data) {
    throw unsupported(macOperation(algorithm));
  }

  /**
   * Verifies a (possibly truncated) MAC in constant time.
   *
   * @param key the key
   * @param algorithm the MAC algorithm
   * @param padding the padding
   * @param data the message
   * @param expected the received MAC, 4..16 bytes, compared with the leftmost bytes
   * @return true if it matches
   */
  default boolean verifyMac(KeyRef key, MacAlgorithm algorithm, Padding padding, Bytes data, Bytes expected) {
    Bytes mac = mac(key, algorithm, padding, data);
    if (expected.length() < 4 || expected.length() > mac.length()) {
      return false;
    }
    return mac.slice(0, expected.length()).constantTimeEquals(expected);
  }

  /**
   * Computes a key check value.
   *
   * @param key the key
   * @param method the convention
   * @param length bytes to keep (1..block size)
   * @return the KCV
   */
  default Kcv kcv(KeyRef key, KcvMethod method, int length) {
    throw unsupported(Operation.KCV);
  }

  /**
   * Computes a key check value of the method's usual length.
   *
   * @param key the key
   * @param method the convention
   * @return the KCV
   */
  default Kcv kcv(KeyRef key, KcvMethod method) {
    return kcv(key, method, method.defaultLength());
  }

  /**
   * Computes the check value of a key given encrypted (ECB) under a KEK, inside the backend: the clear
   * key is never returned. A software backend decrypts into a buffer it wipes before returning.
   *
   * <pre>{@code
   * Kcv kcv = backend.kcvUnderKek(transportKek, KeyAlgorithm.TDES_2KEY, dgi8000Chunk, KcvMethod.ENCRYPT_ZEROS, 3);
   * }</pre>
   *
   * @param kek the key-encryption key (usage {@link KeyUsage#KEK})
   * @param algorithm the wrapped key's algorithm
   * @param cryptogram the wrapped key, whole KEK blocks
   * @param method the KCV convention
   * @param length bytes to keep
   * @return the wrapped key's KCV
   */
  default Kcv kcvUnderKek(KeyRef kek, KeyAlgorithm algorithm, Bytes cryptogram, KcvMethod method, int length) {
    throw unsupported(Operation.KCV_UNDER_KEK);
  }

  /**
   * Imports one clear key (tests, demos). A token backend stores it non-extractable.
   *
   * @param template label, algorithm, usage, KCV method
   * @param value key bytes
   * @return the new key, carrying its KCV
   */
  default KeyRef importClear(KeyTemplate template, Bytes value) {
    throw unsupported(Operation.IMPORT_CLEAR);
  }

  /**
   * Forms a key from 2 or 3 clear components (XOR), checking each component's KCV first.
   *
   * @param template label, algorithm, usage, KCV method
   * @param components 2 or 3 components
   * @return the new key, carrying the KCV of the result
   * @throws CryptoException naming the component whose KCV does not match
   */
  default KeyRef importComponents(KeyTemplate template, List<KeyComponent> components) {
    throw unsupported(Operation.IMPORT_COMPONENTS);
  }

  /**
   * Imports a key encrypted under a KEK (ECB), checking its KCV.
   *
   * @param template label, algorithm, usage, KCV method
   * @param kek the key-encryption key
   * @param cryptogram the encrypted key
   * @param expectedKcv the clear key's check value (template's method)
   * @return the new key
   */
  default KeyRef importUnderKek(KeyTemplate template, KeyRef kek, Bytes cryptogram, Bytes expectedKcv) {
    throw unsupported(Operation.IMPORT_UNDER_KEK);
  }

  /**
   * Encrypts a key under a KEK in ECB (EMV CPS key DGIs, key transport).
   *
   * @param key the key to export
   * @param kek the key-encryption key
   * @return the encrypted key
   */
  default Bytes exportUnderKek(KeyRef key, KeyRef kek) {
    throw unsupported(Operation.EXPORT_UNDER_KEK);
  }

  /**
   * Exports a key as a TR-31 / ANSI X9.143 key block (version B under a TDES KBPK, D under an AES
   * KBPK), with random padding to the cipher block size (no key length obfuscation).
   *
   * @param key the key to export
   * @param kbpk the key block protection key
   * @param header the header to bind to the key
   * @return the key block text
   */
  default String exportTr31(KeyRef key, KeyRef kbpk, Tr31Header header) {
    throw unsupported(Operation.TR31_EXPORT);
  }

  /**
   * Imports a TR-31 key block after verifying its MAC; the header's algorithm must match the template.
   *
   * @param template label, algorithm, usage, KCV method of the new key
   * @param kbpk the key block protection key
   * @param keyBlock the key block text
   * @return the new key
   */
  default KeyRef importTr31(KeyTemplate template, KeyRef kbpk, String keyBlock) {
    throw unsupported(Operation.TR31_IMPORT);
  }

  /**
   * Derives a key.
   *
   * @param master the master key
   * @param derivation what to derive
   * @return the derived key
   */
  default KeyRef derive(KeyRef master, Derivation derivation) {
    throw unsupported(derivation.operation());
  }

  /**
   * Computes an EMV application cryptogram: ISO 9797-1 MAC algorithm 3 with the session key (or the
   * ICC master key for Visa CVN 10).
   *
   * @param sessionKey the AC session key
   * @param padding {@link Padding#EMV} (method 2) or {@link Padding#VISA} (method 1)
   * @param data the CDOL data
   * @return 8 bytes
   */
  default Bytes arqc(KeyRef sessionKey, Padding padding, Bytes data) {
    throw unsupported(Operation.ARQC);
  }

  /**
   * Computes an ARPC with EMV method 1: 3DES(ARQC XOR (ARC‖00×6)).
   *
   * @param sessionKey the AC session key
   * @param arqc 8 bytes
   * @param arc authorisation response code, 2 bytes
   * @return 8 bytes
   */
  default Bytes arpc(KeyRef sessionKey, Bytes arqc, Bytes arc) {
    throw unsupported(Operation.ARPC);
  }

  /**
   * Computes a Visa CVV / Mastercard CVC (CVV2 and iCVV by service code).
   *
   * @param cvk the double-length CVK (A‖B)
   * @param input PAN, expiry, service code
   * @return 3 digits; a secret: never log or print it
   */
  default String cvv(KeyRef cvk, CvvInput input) {
    throw unsupported(Operation.CVV);
  }

  /**
   * Computes a Visa PVV.
   *
   * @param pvk the PVK (single or double length)
   * @param pan the PAN (12..19 digits: the PVV takes the 11 digits left of the check digit)
   * @param pvki key index, 0..9
   * @param pin the PIN (first 4 digits are used)
   * @return 4 digits
   */
  default String pvv(KeyRef pvk, String pan, int pvki, String pin) {
    throw unsupported(Operation.PVV);
  }

  /**
   * {@link #pvv(KeyRef, String, int, String)} with typed cardholder values.
   *
   * @param pvk the PIN verification key
   * @param pan the PAN
   * @param pvki the PIN verification key index, 0..9
   * @param pin the PIN
   * @return the 4-digit PVV
   */
  default String pvv(KeyRef pvk, Pan pan, int pvki, Pin pin) {
    return pvv(pvk, pan.digits(), pvki, pin.reveal());
  }

  /**
   * Computes the IBM 3624 natural PIN.
   *
   * @param pvk the PIN verification key
   * @param params validation data, decimalization table, PIN length
   * @return the natural PIN; a secret: never log or print it
   */
  default String ibm3624NaturalPin(KeyRef pvk, Ibm3624 params) {
    throw unsupported(Operation.IBM3624);
  }

  /**
   * Computes the IBM 3624 offset of a customer PIN.
   *
   * @param pvk the PIN verification key
   * @param params validation data, decimalization table, PIN length (= the PIN's length)
   * @param pin the customer PIN
   * @return the offset digits
   */
  default String ibm3624Offset(KeyRef pvk, Ibm3624 params, String pin) {
    return Ibm3624.offsetFor(ibm3624NaturalPin(pvk, params), pin);
  }

  /** Releases sessions and cached key state. */
  @Override
  default void close() {}

  /**
   * The exception for an operation this backend does not support.
   *
   * @param operation the operation
   * @return an exception naming backend and operation
   */
  default CryptoException unsupported(Operation operation) {
    return new CryptoException("backend '" + id() + "' does not support " + operation);
  }

  /**
   * @param algorithm a MAC algorithm
   * @return its capability
   */
  static Operation macOperation(MacAlgorithm algorithm) {
    switch (algorithm) {
      case ISO9797_1_ALG1: return Operation.MAC_ISO9797_1_ALG1;
      case ISO9797_1_ALG3: return Operation.MAC_ISO9797_1_ALG3;
      default: return Operation.MAC_CMAC;
    }
  }
}
