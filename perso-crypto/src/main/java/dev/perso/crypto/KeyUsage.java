package dev.perso.crypto;

import dev.perso.core.CryptoException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What a key is for (TR-31 style roles used in card personalization), and the one table of which
 * {@link Operation}s each role may run. Every backend checks it before every operation
 * ({@link #require(KeyRef, Operation)}): a KEK never decrypts to clear, a CVK only computes CVVs,
 * and so on.
 *
 * <table>
 *   <caption>usage x operation (KCV is allowed for every key)</caption>
 *   <tr><th>usage</th><th>operations</th></tr>
 *   <tr><td>IMK_AC</td><td>EMV derivations (option A/B, common SK, SKD), ARQC, ARPC</td></tr>
 *   <tr><td>IMK_SMI</td><td>EMV derivations, MACs</td></tr>
 *   <tr><td>IMK_SMC</td><td>EMV derivations, encrypt, decrypt</td></tr>
 *   <tr><td>IMK_DN</td><td>EMV derivations, encrypt</td></tr>
 *   <tr><td>CVK</td><td>CVV (CVV, iCVV, CVV2)</td></tr>
 *   <tr><td>PVK</td><td>PVV, IBM 3624</td></tr>
 *   <tr><td>KMC</td><td>GP diversification (EMV-CPS, VISA2, KDF3, template), SCP02/SCP03 session keys</td></tr>
 *   <tr><td>KEK</td><td>translate, import/export under KEK, TR-31 import/export, KCV under KEK, encrypt
 *       (wrap data for transport; never decrypt)</td></tr>
 *   <tr><td>DEK</td><td>encrypt, decrypt, translate (as target), export under it, SCP02 session DEK</td></tr>
 *   <tr><td>ENC</td><td>encrypt, decrypt, ISO 9797-1 MAC 1 (SCP02 cryptograms), CMAC (SCP03 pseudo-random
 *       card challenge), SCP02/SCP03 session keys</td></tr>
 *   <tr><td>MAC</td><td>MACs, SCP02/SCP03 session keys</td></tr>
 *   <tr><td>RMAC</td><td>MACs</td></tr>
 *   <tr><td>DATA</td><td>encrypt, decrypt, translate, MACs</td></tr>
 * </table>
 *
 * <pre>{@code
 * KeyRef imk = ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));
 * KeyUsage.CVK.permits(Operation.CVV);      // true
 * KeyUsage.KEK.permits(Operation.DECRYPT);  // false
 * }</pre>
 */
public enum KeyUsage {
  /** Issuer master key for application cryptograms. */
  IMK_AC,
  /** Issuer master key for secure-messaging integrity. */
  IMK_SMI,
  /** Issuer master key for secure-messaging confidentiality. */
  IMK_SMC,
  /** Issuer master key for ICC dynamic numbers. */
  IMK_DN,
  /** Card verification key (CVV, CVC, iCVV, CVV2). */
  CVK,
  /** PIN verification key (Visa PVV, IBM 3624). */
  PVK,
  /** GlobalPlatform key management (master) key. */
  KMC,
  /** Key-encryption key (transport, zone master). */
  KEK,
  /** Data-encryption key (GP DEK, CPS sensitive DGIs). */
  DEK,
  /** Encryption key (GP ENC, session ENC). */
  ENC,
  /** MAC key (GP MAC, session MAC). */
  MAC,
  /** Response MAC key (GP R-MAC). */
  RMAC,
  /** Generic data encryption. */
  DATA;

  private static final Map<KeyUsage, Set<Operation>> PERMITTED = table();

  private static Map<KeyUsage, Set<Operation>> table() {
    Set<Operation> emv = EnumSet.of(Operation.DERIVE_EMV_OPTION_A, Operation.DERIVE_EMV_OPTION_B,
        Operation.DERIVE_EMV_COMMON_SK, Operation.DERIVE_MASTERCARD_SKD);
    Set<Operation> macs = EnumSet.of(Operation.MAC_ISO9797_1_ALG1, Operation.MAC_ISO9797_1_ALG3, Operation.MAC_CMAC);
    Set<Operation> gpSession = EnumSet.of(Operation.DERIVE_GP_SCP02, Operation.DERIVE_GP_SCP03);
    Map<KeyUsage, Set<Operation>> t = new EnumMap<>(KeyUsage.class);
    t.put(IMK_AC, with(emv, Operation.ARQC, Operation.ARPC));
    t.put(IMK_SMI, with(union(emv, macs)));
    t.put(IMK_SMC, with(emv, Operation.ENCRYPT, Operation.DECRYPT));
    t.put(IMK_DN, with(emv, Operation.ENCRYPT));
    t.put(CVK, with(EnumSet.noneOf(Operation.class), Operation.CVV));
    t.put(PVK, with(EnumSet.noneOf(Operation.class), Operation.PVV, Operation.IBM3624));
    t.put(KMC, with(gpSession, Operation.DERIVE_GP_EMV_CPS, Operation.DERIVE_GP_VISA2, Operation.DERIVE_GP_KDF3,
        Operation.DERIVE_GP_TEMPLATE));
    t.put(KEK, with(EnumSet.noneOf(Operation.class), Operation.TRANSLATE, Operation.TRANSLATE_PIN_BLOCK, Operation.IMPORT_UNDER_KEK,
        Operation.EXPORT_UNDER_KEK, Operation.TR31_IMPORT, Operation.TR31_EXPORT, Operation.KCV_UNDER_KEK,
        Operation.ENCRYPT));
    t.put(DEK, with(EnumSet.noneOf(Operation.class), Operation.ENCRYPT, Operation.DECRYPT, Operation.TRANSLATE,
        Operation.TRANSLATE_PIN_BLOCK,
        Operation.EXPORT_UNDER_KEK, Operation.DERIVE_GP_SCP02));
    // MAC_CMAC: the SCP03 pseudo-random card challenge is a CMAC KDF block under the static ENC key
    t.put(ENC, with(gpSession, Operation.ENCRYPT, Operation.DECRYPT, Operation.MAC_ISO9797_1_ALG1, Operation.MAC_CMAC));
    t.put(MAC, with(union(gpSession, macs)));
    t.put(RMAC, with(macs));
    t.put(DATA, with(macs, Operation.ENCRYPT, Operation.DECRYPT, Operation.TRANSLATE));
    return Collections.unmodifiableMap(t);
  }

  private static Set<Operation> union(Set<Operation> a, Set<Operation> b) {
    Set<Operation> s = EnumSet.copyOf(a);
    s.addAll(b);
    return s;
  }

  private static Set<Operation> with(Set<Operation> base, Operation... more) {
    Set<Operation> s = EnumSet.copyOf(base);
    s.add(Operation.KCV);
    Collections.addAll(s, more);
    return Collections.unmodifiableSet(s);
  }

  /**
   * @param operation an operation
   * @return true if a key of this usage may run it (operations that use no key are always permitted)
   */
  public boolean permits(Operation operation) {
    return !operation.usesKey() || PERMITTED.get(this).contains(operation);
  }

  /** @return the operations a key of this usage may run */
  public Set<Operation> permitted() {
    return PERMITTED.get(this);
  }

  /**
   * Refuses an operation the key's usage does not permit.
   *
   * @param key the key about to be used
   * @param operation the operation
   * @throws CryptoException naming the key (label or masked description), its usage and the operation
   */
  public static void require(KeyRef key, Operation operation) {
    if (key == null) {
      throw new dev.perso.core.ValidationException("key", "must not be null");
    }
    if (!key.usage().permits(operation)) {
      throw new CryptoException("key " + describe(key) + " with usage " + key.usage() + " may not be used for "
          + operation);
    }
  }

  private static String describe(KeyRef key) {
    if (key instanceof TokenKeyRef) {
      return "'" + ((TokenKeyRef) key).label() + "'";
    }
    return key.toString();
  }
}
