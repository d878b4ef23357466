package dev.perso.crypto.payshield.internal;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyUsage;
import java.util.EnumMap;
import java.util.Map;

/**
 * <b>Project-defined</b> parts of the payShield mapping, kept in this one class so a bureau can match
 * them to its firmware's manual without touching the rest. Everything here has no public host-command
 * definition (notes/payshield.md §4 "ICC master-key derivation + export [?]", §3 "LMK-encrypted PIN");
 * the test HSM implements exactly these layouts.
 *
 * <ul>
 *   <li>The LMK key type used for each {@link KeyUsage} where the public key-type table has no entry
 *       (KMC, the GP/EMV session keys), and the type of each derived key.</li>
 *   <li>{@value #IMPORT_CLEAR}: form a key under the LMK from a clear value (what the console does with
 *       clear components on a real HSM). Fields: key type 3H · LMK scheme 1A · clear key 16/32/48H.
 *       Answer: error 2N · key under LMK · KCV 6H.</li>
 *   <li>{@value #DERIVE}: derive a card or session key inside the HSM from a master key under the LMK;
 *       the result stays under the LMK. Fields: method 2N · master key type 3H · master key · output key
 *       type 3H ({@value #CLEAR_OUTPUT}: the SCP02 session key in clear, 32H) · method data (below).
 *       Answer: error 2N · key under LMK (or clear) · KCV 6H.</li>
 *   <li>{@value #TRANSLATE_UNDER_KEK}: the CPS sensitive-DGI translation: data encrypted under a transport
 *       KEK held as a ZMK (type 000) re-encrypted under the card's (session) DEK. Fields: source mode 2N
 *       (00 ECB, 01 CBC) · ZMK · destination mode 2N · destination key type 3H · destination key ·
 *       [source IV 16H] · [destination IV 16H] · length 4H (bytes) · data (binary). Answer: error 2N ·
 *       length 4H · data.</li>
 *   <li>{@value #TRANSLATE_PIN_BLOCK}: an encrypted PIN block from one key and ISO 9564-1 format to another
 *       (data preparation's format 1 block under the transport KEK to the card's format 2 block under
 *       the session DEK; payShield's own PIN translation commands work between zone PIN keys and take no
 *       format 2, and none is in the public notes). Fields: source key type 3H · source key · source mode
 *       2N · [source IV 16H] · source format 2N (00, 01, 02) · destination key type 3H · destination key ·
 *       destination mode 2N · [destination IV 16H] · destination format 2N · padding 1N (0 none, 1/2
 *       ISO 9797-1 method) · PAN length 2N · PAN · length 4H (bytes) · block (binary). Answer: error 2N
 *       (20 the block does not decode, 23 format not offered) · length 4H · block.</li>
 * </ul>
 * Method data of {@value #DERIVE}: 01 EMV option A / 02 option B: PAN length 2N · PAN · PSN 2N;
 * 03 EMV common session key: R 16H; 04 Mastercard SKD: ATC 4H · UN 8H; 05 GP SCP02 session key:
 * derivation constant 4H · sequence counter 4H; 06 GP EMV-CPS / 07 GP VISA2 diversification: card key
 * number 1N · KDD 20H.
 */
public final class ProjectDefined {
  /** Form a key under the LMK from a clear value. */
  public static final String IMPORT_CLEAR = "XK";
  /** Derive a key under the LMK from a master key under the LMK. */
  public static final String DERIVE = "XD";
  /** Translate sensitive data from a ZMK-typed transport KEK to a DEK. */
  public static final String TRANSLATE_UNDER_KEK = "XT";

  /**
   * {@value #DERIVE} output key type meaning "answer the derived session key in clear" (32H instead of
   * a key under the LMK); the HSM allows it for SCP02 session keys (method 05) only.
   */
  public static final String CLEAR_OUTPUT = "CLR";

  /** Translate a PIN block between keys and ISO 9564-1 formats. */
  public static final String TRANSLATE_PIN_BLOCK = "XP";

  /** The TAK key type (public table: 16-17 variant 0; notes §3). */
  public static final String TAK = "003";
  /** The ZAK key type (public table). */
  public static final String ZAK = "008";
  /** The DEK key type (public table: 32-33 variant 0). */
  public static final String DEK = "00B";
  /** The ZEK key type (public table: 30-31 variant 0). */
  public static final String ZEK = "00A";
  /** The ZMK key type (public table: 04-05 variant 0). */
  public static final String ZMK = "000";
  /** Project-defined: KMC (GP issuer master key), 32-33 variant 5, a pair/variant no public type uses. */
  public static final String KMC = "50B";

  private static final Map<KeyUsage, String> TYPES = new EnumMap<>(KeyUsage.class);

  static {
    // public key-type table (notes/payshield.md §3: hsm-guide, thalessimulatorlibrary, hsm-simu)
    TYPES.put(KeyUsage.IMK_AC, "109");
    TYPES.put(KeyUsage.IMK_SMI, "209");
    TYPES.put(KeyUsage.IMK_SMC, "309");
    TYPES.put(KeyUsage.IMK_DN, "509");
    TYPES.put(KeyUsage.CVK, "402");
    TYPES.put(KeyUsage.PVK, "002");
    TYPES.put(KeyUsage.KEK, ZMK);
    TYPES.put(KeyUsage.DEK, DEK);
    TYPES.put(KeyUsage.DATA, ZEK);
    TYPES.put(KeyUsage.MAC, TAK);
    TYPES.put(KeyUsage.RMAC, TAK);
    // project-defined: GP ENC keys encrypt (M0) and MAC with ISO 9797-1 alg 1 (M0 CBC, last block)
    TYPES.put(KeyUsage.ENC, DEK);
    TYPES.put(KeyUsage.KMC, KMC);
  }

  private ProjectDefined() {}

  /**
   * @param usage a key usage
   * @return the LMK key type a key of that usage is held under unless the key names its own
   */
  public static String keyType(KeyUsage usage) {
    return TYPES.get(usage);
  }

  /**
   * The LMK key type of a derived key: ICC master keys keep the master's type; EMV session keys for
   * cryptograms and MACs are TAKs (M6 computes the ARQC and ARPC), confidentiality session keys are
   * DEKs; GP card and session keys take the type of their usage.
   *
   * @param d the derivation
   * @param masterType the master key's type
   * @param usage the derived key's usage
   * @return the derived key's type
   */
  public static String derivedKeyType(Derivation d, String masterType, KeyUsage usage) {
    if (d instanceof Derivation.EmvOptionA || d instanceof Derivation.EmvOptionB) {
      return masterType;
    }
    if (d instanceof Derivation.EmvCommonSessionKey || d instanceof Derivation.MastercardSkd) {
      return usage == KeyUsage.IMK_SMC || usage == KeyUsage.IMK_DN ? DEK : TAK;
    }
    return keyType(usage);
  }

  /**
   * @param d a derivation
   * @return the {@value #DERIVE} method code and data fields
   */
  public static String deriveFields(Derivation d) {
    if (d instanceof Derivation.EmvOptionA a) {
      return "01" + two(a.pan().length()) + a.pan() + a.psn();
    } else if (d instanceof Derivation.EmvOptionB b) {
      return "02" + two(b.pan().length()) + b.pan() + b.psn();
    } else if (d instanceof Derivation.EmvCommonSessionKey s) {
      return "03" + hex(s.r(), 8, "r");
    } else if (d instanceof Derivation.MastercardSkd m) {
      return "04" + hex(m.atc(), 2, "atc") + hex(m.unpredictableNumber(), 4, "unpredictableNumber");
    } else if (d instanceof Derivation.GpScp02 s) {
      String c = Integer.toHexString(0x10000 | s.key().constant()).substring(1).toUpperCase(java.util.Locale.ROOT);
      return "05" + c + hex(s.sequenceCounter(), 2, "sequenceCounter");
    } else if (d instanceof Derivation.GpDiversification g) {
      switch (g.method()) {
        case EMV_CPS: return "06" + g.key().number() + hex(g.kdd(), 10, "kdd");
        case VISA2: return "07" + g.key().number() + hex(g.kdd(), 10, "kdd");
        default: break;
      }
    }
    throw new ValidationException("derivation", d.operation() + " has no payShield mapping");
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  private static String hex(Bytes b, int length, String field) {
    if (b.length() != length) {
      throw new ValidationException(field, "must be " + length + " bytes");
    }
    return b.toHex();
  }
}
