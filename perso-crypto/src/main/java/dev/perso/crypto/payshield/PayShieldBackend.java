package dev.perso.crypto.payshield;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.CipherMode;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.CryptogramKeyRef;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.Ibm3624;
import dev.perso.crypto.Kcv;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyComponent;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyTemplate;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Operation;
import dev.perso.crypto.Padding;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.crypto.payshield.internal.Fields;
import dev.perso.crypto.payshield.internal.HsmClient;
import dev.perso.crypto.payshield.internal.HsmClient.Resend;
import dev.perso.crypto.payshield.internal.ProjectDefined;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Thales payShield (or compatible) payment HSM over its host-command protocol: TCP with a 2-byte
 * length prefix, a configurable message header, and the response and error code checked on every
 * answer. Keys are {@link CryptogramKeyRef}s under the HSM's LMK ({@link CryptogramKeyRef.Scheme#LMK_VARIANT}
 * {@code U}/{@code T}, or {@link CryptogramKeyRef.Scheme#LMK_KEY_BLOCK} {@code S}); no clear key crosses
 * the wire except where a command itself takes one (see below).
 *
 * <p>Operations and commands (each command's field layout and its public sources are cited where it is
 * built, below):
 * <ul>
 *   <li>{@link #kcv} BU · {@link #importUnderKek} and {@link #kcvUnderKek} A6 · {@link #exportUnderKek}
 *       A8 · {@link #generate} A0 · {@link #diagnostics} NC</li>
 *   <li>{@link #cvv} CW · {@link #pvv} BA then DG · IBM 3624 BA then DE (the clear PIN goes to BA, as
 *       the protocol defines: the HSM returns it encrypted under the LMK for DG/DE)</li>
 *   <li>{@link #encrypt} M0 · {@link #decrypt} M2 · {@link #translate} M4 (ZEK/DEK source) · {@link #mac}
 *       M6 (TAK/ZAK; ISO 9797-1 algorithm 1 with a DEK-typed key as M0 CBC, last block) · {@link #verifyMac}
 *       M8 · {@link #arqc} and {@link #arpc} M6 with the AC session key (a TAK, as {@link #derive} returns
 *       it) · {@link #verifyArqc} KQ (Visa ARQC check and ARPC from the IMK)</li>
 *   <li><b>Project-defined</b> (no public layout; see {@code internal.ProjectDefined}, the README):
 *       {@link #derive} (EMV option A/B, session keys, GP SCP02 and card-key diversification inside the
 *       HSM), {@link #importClear}/{@link #importComponents} (a clear key formed under the LMK, as the
 *       console does), {@link #translate} from a ZMK-typed transport KEK (CPS sensitive DGIs),
 *       {@link #translatePinBlock} (ISO format 1 under the KEK to format 2 under the card's DEK).</li>
 * </ul>
 * Not offered: CMAC, SCP03/KDF3/template derivations (AES), TR-31 (the key-block LMK crypto is not
 * public). {@link #capabilities()} asks the HSM once which of its commands are licensed and enabled.
 *
 * <p>A lost answer (dropped connection, timeout, garbage) re-sends a command that changes nothing in
 * the HSM once on a new connection; A0 (key generation) is never re-sent and fails with
 * {@link PayShieldAnswerLostException}.
 *
 * <pre>{@code
 * try (PayShieldBackend hsm = PayShieldBackend.builder().address("127.0.0.1", 1500).connections(4).build()) {
 *   CryptogramKeyRef cvk = PayShieldBackend.key("U9B4934384B19946B040CD702B4D58145", KeyUsage.CVK);
 *   String cvv = hsm.cvv(cvk, CvvInput.of("4123456789012345", "8701", "101"));   // "561"
 * }
 * }</pre>
 */
public final class PayShieldBackend implements CryptoBackend {
  private static final Logger LOG = LoggerFactory.getLogger(PayShieldBackend.class);
  private static final Set<String> ONLY_OK = Set.of();

  /** Which host commands each operation needs. */
  private static final Map<Operation, List<String>> COMMANDS = commands();

  private final HsmClient client;
  private final String id;
  private final int pinLength;
  private final boolean sessionKeysToHost;
  /** Runs operations on the session keys handed to the host ({@link Builder#sessionKeysToHost}). */
  private final SoftwareBackend host = new SoftwareBackend();
  private volatile Set<Operation> capabilities;

  private PayShieldBackend(Builder b) {
    this.client = new HsmClient(b.tls == null ? SocketFactory.getDefault() : b.tls, b.host, b.port, b.connections,
        b.headerLength, b.connectTimeout, b.timeout);
    this.id = "payshield:" + b.host + ":" + b.port;
    this.pinLength = b.lmkPinLength;
    this.sessionKeysToHost = b.sessionKeysToHost;
  }

  private static Map<Operation, List<String>> commands() {
    Map<Operation, List<String>> m = new EnumMap<>(Operation.class);
    m.put(Operation.ENCRYPT, List.of("M0"));
    m.put(Operation.DECRYPT, List.of("M2"));
    m.put(Operation.TRANSLATE, List.of("M4", ProjectDefined.TRANSLATE_UNDER_KEK));
    m.put(Operation.TRANSLATE_PIN_BLOCK, List.of(ProjectDefined.TRANSLATE_PIN_BLOCK));
    m.put(Operation.MAC_ISO9797_1_ALG1, List.of("M6", "M0"));
    m.put(Operation.MAC_ISO9797_1_ALG3, List.of("M6"));
    m.put(Operation.KCV, List.of("BU"));
    m.put(Operation.IMPORT_CLEAR, List.of(ProjectDefined.IMPORT_CLEAR));
    m.put(Operation.IMPORT_COMPONENTS, List.of(ProjectDefined.IMPORT_CLEAR));
    m.put(Operation.IMPORT_UNDER_KEK, List.of("A6"));
    m.put(Operation.EXPORT_UNDER_KEK, List.of("A8"));
    m.put(Operation.KCV_UNDER_KEK, List.of("A6"));
    for (Operation o : List.of(Operation.DERIVE_EMV_OPTION_A, Operation.DERIVE_EMV_OPTION_B,
        Operation.DERIVE_EMV_COMMON_SK, Operation.DERIVE_MASTERCARD_SKD, Operation.DERIVE_GP_SCP02,
        Operation.DERIVE_GP_EMV_CPS, Operation.DERIVE_GP_VISA2)) {
      m.put(o, List.of(ProjectDefined.DERIVE));
    }
    m.put(Operation.ARQC, List.of("M6"));   // and KQ for verifyArqc
    m.put(Operation.ARPC, List.of("M6"));
    m.put(Operation.CVV, List.of("CW"));
    m.put(Operation.PVV, List.of("BA", "DG"));
    m.put(Operation.IBM3624, List.of("BA", "DE"));
    return Collections.unmodifiableMap(m);
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A backend for a {@code payshield://HOST:PORT} address with default settings.
   *
   * @param uri e.g. {@code payshield://127.0.0.1:1500}; query parameters {@code connections},
   *     {@code header}, {@code timeoutMs}, {@code pinLength}, {@code sessionKeys=host|lmk}
   * @return the backend
   */
  public static PayShieldBackend open(String uri) {
    URI u;
    try {
      u = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("crypto", "not a URI: payshield://HOST:PORT");
    }
    if (!"payshield".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
      throw new ValidationException("crypto", "must be payshield://HOST:PORT");
    }
    Builder b = builder().address(u.getHost(), u.getPort());
    if (u.getQuery() != null) {
      for (String kv : u.getQuery().split("&")) {
        String[] p = kv.split("=", 2);
        String v = p.length == 2 ? p[1] : "";
        try {
          switch (p[0]) {
            case "connections": b.connections(Integer.parseInt(v)); break;
            case "header": b.headerLength(Integer.parseInt(v)); break;
            case "timeoutMs": b.timeout(Duration.ofMillis(Long.parseLong(v))); break;
            case "pinLength": b.lmkPinLength(Integer.parseInt(v)); break;
            case "sessionKeys":
              if (!v.equals("host") && !v.equals("lmk")) {
                throw new ValidationException("crypto", "sessionKeys must be host or lmk");
              }
              b.sessionKeysToHost(v.equals("host"));
              break;
            default: throw new ValidationException("crypto", "unknown parameter '" + p[0] + "'");
          }
        } catch (NumberFormatException e) {
          throw new ValidationException("crypto", "parameter '" + p[0] + "' must be a number");
        }
      }
    }
    return b.build();
  }

  /**
   * Parses a key under the LMK as written on the payShield wire and in key ceremonies.
   *
   * @param text {@code U}+32 hex, {@code T}+48 hex, 16 hex (single length), or {@code S}+key block
   * @param usage the key's role (picks its LMK key type unless {@link #key(String, KeyUsage, String)})
   * @return the reference
   */
  public static CryptogramKeyRef key(String text, KeyUsage usage) {
    Objects.requireNonNull(text, "key");
    String t = text.trim().toUpperCase(Locale.ROOT);
    if (t.startsWith("S")) {
      return CryptogramKeyRef.of(CryptogramKeyRef.Scheme.LMK_KEY_BLOCK,
          Bytes.of(text.trim().substring(1).getBytes(StandardCharsets.US_ASCII)), KeyAlgorithm.TDES_2KEY, usage);
    }
    String hex = t.startsWith("U") || t.startsWith("T") || t.startsWith("Z") ? t.substring(1) : t;
    KeyAlgorithm alg;
    if (t.startsWith("U") && hex.length() == 32) {
      alg = KeyAlgorithm.TDES_2KEY;
    } else if (t.startsWith("T") && hex.length() == 48) {
      alg = KeyAlgorithm.TDES_3KEY;
    } else if ((t.startsWith("Z") || Character.digit(t.isEmpty() ? 'G' : t.charAt(0), 16) >= 0) && hex.length() == 16) {
      alg = KeyAlgorithm.DES;
    } else {
      throw new ValidationException("key", "must be U+32 hex, T+48 hex, 16 hex or S+key block (LMK cryptogram)");
    }
    if (!hex.matches("[0-9A-F]+")) {
      throw new ValidationException("key", "must be hex after the scheme letter");
    }
    return CryptogramKeyRef.of(CryptogramKeyRef.Scheme.LMK_VARIANT, Bytes.fromHex(hex), alg, usage);
  }

  /**
   * @param text the key under the LMK
   * @param usage its role
   * @param keyType its LMK key type code (e.g. {@code 00A} for a transport key held as a ZEK)
   * @return the reference
   */
  public static CryptogramKeyRef key(String text, KeyUsage usage, String keyType) {
    return key(text, usage).withDeviceKeyType(requireKeyType(keyType));
  }

  /**
   * @param usage a key usage
   * @return the LMK key type this backend gives keys of that usage (unless a key names its own)
   */
  public static String keyTypeOf(KeyUsage usage) {
    return ProjectDefined.keyType(usage);
  }

  private static String requireKeyType(String t) {
    if (t == null || !t.matches("[0-9A-F]{3}")) {
      throw new ValidationException("keyType", "must be 3 hex characters, e.g. 402");
    }
    return t;
  }

  /**
   * @param key a key under the LMK
   * @return how it is written on the wire: {@code U}/{@code T} + hex, 16 hex, or {@code S} + block
   */
  public static String wireForm(CryptogramKeyRef key) {
    if (key.scheme() == CryptogramKeyRef.Scheme.LMK_KEY_BLOCK) {
      return "S" + new String(key.cryptogram().toByteArray(), StandardCharsets.US_ASCII);
    }
    if (key.scheme() != CryptogramKeyRef.Scheme.LMK_VARIANT) {
      throw new CryptoException("payShield keys are under the LMK; " + key + " is " + key.scheme());
    }
    switch (key.cryptogram().length()) {
      case 8: return key.cryptogram().toHex();
      case 16: return "U" + key.cryptogram().toHex();
      case 24: return "T" + key.cryptogram().toHex();
      default: throw new CryptoException(key + ": an LMK variant key is 8, 16 or 24 bytes");
    }
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * The operations whose commands the HSM offers: asked once (each command with an empty body; an
   * answer {@code 67} not licensed, {@code 68} disabled, or no answer means not offered).
   */
  @Override
  public Set<Operation> capabilities() {
    Set<Operation> c = capabilities;
    if (c == null) {
      synchronized (this) {
        if (capabilities == null) {
          capabilities = probe();
        }
        c = capabilities;
      }
    }
    return c;
  }

  private Set<Operation> probe() {
    Map<String, Boolean> offered = new java.util.HashMap<>();
    Set<Operation> ops = EnumSet.noneOf(Operation.class);
    for (Map.Entry<Operation, List<String>> e : COMMANDS.entrySet()) {
      boolean all = true;
      for (String cmd : e.getValue()) {
        all &= offered.computeIfAbsent(cmd, this::offers);
      }
      if (all) {
        ops.add(e.getKey());
      }
    }
    LOG.info("{} offers {}", id, ops);
    return Collections.unmodifiableSet(ops);
  }

  private boolean offers(String command) {
    try {
      String error = client.exchange(command, new byte[0], Resend.SAFE).error();
      return !error.equals("67") && !error.equals("68");
    } catch (RuntimeException e) {
      LOG.info("{}: command {} not offered ({})", id, command, e.getClass().getSimpleName());
      return false;
    }
  }

  /** @return the number of command/answer round trips so far (for figures and tests) */
  public long roundTrips() {
    return client.roundTrips();
  }

  /** @return TCP connections opened so far, reconnects included */
  public int connectionsOpened() {
    return client.connectionsOpened();
  }

  // ---- keys ------------------------------------------------------------------------------------

  private CryptogramKeyRef lmk(KeyRef key, String field) {
    if (!(key instanceof CryptogramKeyRef) || (((CryptogramKeyRef) key).scheme() != CryptogramKeyRef.Scheme.LMK_VARIANT
        && ((CryptogramKeyRef) key).scheme() != CryptogramKeyRef.Scheme.LMK_KEY_BLOCK)) {
      throw new CryptoException("backend '" + id + "' uses keys under its LMK only; " + field + " is " + key);
    }
    return (CryptogramKeyRef) key;
  }

  private static String typeOf(CryptogramKeyRef k) {
    if (k.scheme() == CryptogramKeyRef.Scheme.LMK_KEY_BLOCK) {
      return "FFF";   // "take the type from the key block" (ut-codec-payshield tests)
    }
    return k.deviceKeyType().orElseGet(() -> ProjectDefined.keyType(k.usage()));
  }

  private static char schemeLetter(KeyAlgorithm alg) {
    switch (alg) {
      case TDES_2KEY: return 'U';
      case TDES_3KEY: return 'T';
      case DES: return 'Z';
      default: throw new ValidationException("algorithm", alg + " cannot be held under a variant LMK");
    }
  }

  /** A key field from an answer, as a reference with the given usage, type and KCV. */
  private static CryptogramKeyRef fromWire(String field, KeyUsage usage, String type, Bytes kcv) {
    CryptogramKeyRef k = key(field, usage);
    if (!type.equals(ProjectDefined.keyType(usage))) {
      k = k.withDeviceKeyType(type);
    }
    return kcv == null ? k : k.withKcv(new Kcv(KcvMethod.ENCRYPT_ZEROS, kcv));
  }

  private void check(Operation op, KeyRef key) {
    if (!COMMANDS.containsKey(op)) {
      throw unsupported(op);
    }
    KeyUsage.require(key, op);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} with {}", id, op, key);
    }
  }

  /**
   * NC, diagnostics (notes §4 NC: legacy host command manual reproductions, pythales, hsm-guide): no
   * fields; answer LMK check value 16H and firmware number 9A.
   *
   * @return the LMK check value and firmware number
   */
  public Diagnostics diagnostics() {
    Fields.Reader r = client.call("NC", new byte[0], Resend.SAFE, ONLY_OK);
    return new Diagnostics(r.text(16, "LMK check value"), new String(r.rest("firmware"), StandardCharsets.US_ASCII));
  }

  /**
   * The HSM's NC answer.
   *
   * @param lmkCheck the LMK check value (16 hex)
   * @param firmware the firmware number
   */
  public record Diagnostics(String lmkCheck, String firmware) {}

  /**
   * A0 mode 0, generate a random key under the LMK (notes §4 A0: ut-codec-payshield messages.json,
   * thalessimulatorlibrary GenerateKey_A0, manual reproductions): mode 1H · key type 3H · LMK scheme
   * 1A; answer key under LMK · KCV 6H. Never re-sent when its answer is lost.
   *
   * @param template algorithm and usage (the label is not sent)
   * @return the new key with its KCV
   */
  public CryptogramKeyRef generate(KeyTemplate template) {
    String type = ProjectDefined.keyType(template.usage());
    byte[] body = new Fields.Writer().text("0").text(type).text(String.valueOf(schemeLetter(template.algorithm())))
        .toByteArray();
    Fields.Reader r = client.call("A0", body, Resend.NEVER, ONLY_OK);
    String k = r.key("key under LMK");
    return fromWire(k, template.usage(), type, Bytes.fromHex(r.text(6, "KCV")));
  }

  @Override
  public Kcv kcv(KeyRef key, KcvMethod method, int length) {
    if (key instanceof ClearKeyRef) {
      return host.kcv(key, method, length);
    }
    check(Operation.KCV, key);
    if (method != KcvMethod.ENCRYPT_ZEROS) {
      throw new CryptoException("backend '" + id + "' computes KCVs by encrypting zeros only (BU), not " + method);
    }
    if (length < 1 || length > 8) {
      throw new ValidationException("length", "must be 1..8, was " + length);
    }
    return new Kcv(method, bu(lmk(key, "key")).slice(0, length));
  }

  /**
   * BU, generate a key check value (notes §4 BU: ut-codec-payshield {@code BUFF1U…;002;001},
   * thalessimulatorlibrary GenerateCheckValue_BU): key type code 2H ({@code FF}: see the key type field)
   * · key length flag 1N · key · {@code ;} key type 3H · {@code ;} reserved {@code 00} · KCV type 1N
   * ({@code 0} = 16H); answer KCV 16H.
   */
  private Bytes bu(CryptogramKeyRef k) {
    String flag = k.algorithm() == KeyAlgorithm.DES ? "0" : k.algorithm() == KeyAlgorithm.TDES_2KEY ? "1" : "2";
    byte[] body = new Fields.Writer().text("FF").text(flag).text(wireForm(k)).text(";").text(typeOf(k))
        .text(";00").text("0").toByteArray();
    Fields.Reader r = client.call("BU", body, Resend.SAFE, ONLY_OK);
    return Bytes.fromHex(r.text(16, "KCV"));
  }

  @Override
  public KeyRef importClear(KeyTemplate template, Bytes value) {
    Objects.requireNonNull(template, "template");
    if (value == null || value.length() != template.algorithm().keyLength()) {
      throw new ValidationException("key", template.algorithm() + " needs " + template.algorithm().keyLength() + " bytes");
    }
    String type = ProjectDefined.keyType(template.usage());
    byte[] clear = value.toByteArray();
    Fields.Writer w = new Fields.Writer().text(type).text(String.valueOf(schemeLetter(template.algorithm())))
        .secretHex(clear);
    byte[] body = w.toByteArray();
    w.wipe();
    java.util.Arrays.fill(clear, (byte) 0);
    try {
      Fields.Reader r = client.call(ProjectDefined.IMPORT_CLEAR, body, Resend.SAFE, ONLY_OK);
      String k = r.key("key under LMK");
      return fromWire(k, template.usage(), type, Bytes.fromHex(r.text(6, "KCV")));
    } finally {
      java.util.Arrays.fill(body, (byte) 0);
    }
  }

  @Override
  public KeyRef importComponents(KeyTemplate template, List<KeyComponent> components) {
    // Components are clear by nature: their KCVs are checked and they are XORed in a software backend
    // (a buffer wiped on close), then the result is formed under the LMK.
    try (SoftwareBackend soft = new SoftwareBackend();
         ClearKeyRef formed = (ClearKeyRef) soft.importComponents(template, components)) {
      return formed.apply(b -> importClear(template, Bytes.secret(b)));
    }
  }

  /**
   * A6, import a key from under a ZMK (notes §4 A6: ut-codec-payshield importKey, thalessimulatorlibrary
   * ImportKey_A6, manual reproductions): key type 3H · ZMK · key under ZMK (X/Y + hex for double/triple
   * ECB, 16H single) · LMK scheme 1A; answer key under LMK · KCV 6H (error 01 = parity advice, body
   * still returned).
   */
  private Fields.Reader a6(String type, CryptogramKeyRef zmk, KeyAlgorithm alg, Bytes cryptogram) {
    if (cryptogram == null || cryptogram.length() != alg.keyLength()) {
      throw new ValidationException("cryptogram", alg + " under a KEK is " + alg.keyLength() + " bytes");
    }
    String under = alg == KeyAlgorithm.TDES_2KEY ? "X" + cryptogram.toHex()
        : alg == KeyAlgorithm.TDES_3KEY ? "Y" + cryptogram.toHex() : cryptogram.toHex();
    byte[] body = new Fields.Writer().text(type).text(wireForm(zmk)).text(under).text(String.valueOf(schemeLetter(alg)))
        .toByteArray();
    return client.call("A6", body, Resend.SAFE, Set.of("01"));
  }

  @Override
  public KeyRef importUnderKek(KeyTemplate template, KeyRef kek, Bytes cryptogram, Bytes expectedKcv) {
    check(Operation.IMPORT_UNDER_KEK, kek);
    String type = ProjectDefined.keyType(template.usage());
    Fields.Reader r = a6(type, lmk(kek, "kek"), template.algorithm(), cryptogram);
    CryptogramKeyRef k = fromWire(r.key("key under LMK"), template.usage(), type, Bytes.fromHex(r.text(6, "KCV")));
    Bytes actual = expectedKcv.length() <= 3 ? k.kcv().orElseThrow().value().slice(0, expectedKcv.length())
        : bu(k).slice(0, Math.min(8, expectedKcv.length()));
    if (!actual.constantTimeEquals(expectedKcv)) {
      throw new CryptoException("key under KEK for '" + template.label() + "': check value mismatch (expected "
          + expectedKcv.toHex() + ", computed " + actual.toHex() + ")");
    }
    return k;
  }

  @Override
  public Kcv kcvUnderKek(KeyRef kek, KeyAlgorithm algorithm, Bytes cryptogram, KcvMethod method, int length) {
    check(Operation.KCV_UNDER_KEK, kek);
    if (method != KcvMethod.ENCRYPT_ZEROS) {
      throw new CryptoException("backend '" + id + "' computes KCVs by encrypting zeros only, not " + method);
    }
    Objects.requireNonNull(cryptogram, "cryptogram");
    if (cryptogram.length() < algorithm.keyLength()) {
      throw new ValidationException("cryptogram", "too short for " + algorithm + ": " + cryptogram.length() + " bytes");
    }
    // imported as a ZEK and dropped: only its KCV leaves the HSM
    Fields.Reader r = a6(ProjectDefined.ZEK, lmk(kek, "kek"), algorithm, cryptogram.slice(0, algorithm.keyLength()));
    String k = r.key("key under LMK");
    Bytes kcv = Bytes.fromHex(r.text(6, "KCV"));
    if (length > 3) {
      kcv = bu(key(k, KeyUsage.DATA)).slice(0, length);
    }
    return new Kcv(method, kcv.slice(0, length));
  }

  /**
   * A8, export a key under a ZMK (notes §4 A8: ut-codec-payshield exportKey, thalessimulatorlibrary
   * ExportKey_A8): key type 3H · ZMK · key under LMK · ZMK scheme 1A ({@code X}: double-length ECB);
   * answer key under ZMK · KCV 6H.
   */
  @Override
  public Bytes exportUnderKek(KeyRef key, KeyRef kek) {
    check(Operation.EXPORT_UNDER_KEK, kek);
    CryptogramKeyRef k = lmk(key, "key");
    char scheme = k.algorithm() == KeyAlgorithm.TDES_2KEY ? 'X' : k.algorithm() == KeyAlgorithm.TDES_3KEY ? 'Y' : 'Z';
    byte[] body = new Fields.Writer().text(typeOf(k)).text(wireForm(lmk(kek, "kek"))).text(wireForm(k))
        .text(String.valueOf(scheme)).toByteArray();
    Fields.Reader r = client.call("A8", body, Resend.SAFE, ONLY_OK);
    String under = r.key("key under ZMK");
    return Bytes.fromHex(Character.digit(under.charAt(0), 16) >= 0 ? under : under.substring(1));
  }

  // ---- data ------------------------------------------------------------------------------------

  private static String mode(CipherSpec spec) {
    return spec.mode() == CipherMode.ECB ? "00" : "01";
  }

  private static byte[] blocks(Bytes data) {
    Objects.requireNonNull(data, "data");
    if (data.isEmpty() || data.length() % 8 != 0) {
      throw new ValidationException("data", "must be a non-empty multiple of 8 bytes, was " + data.length());
    }
    return data.toByteArray();
  }

  private static String iv(CipherSpec spec) {
    if (spec.mode() == CipherMode.ECB) {
      return "";
    }
    if (spec.iv().isEmpty()) {
      return "0000000000000000";
    }
    if (spec.iv().length() != 8) {
      throw new ValidationException("iv", "must be 8 bytes");
    }
    return spec.iv().toHex();
  }

  /**
   * M0 (encrypt) / M2 (decrypt) (notes §4 M0/M2: ut-codec-payshield encryptDataBlock, hsm-util): mode
   * 2N (00 ECB, 01 CBC) · input format 1N (0 binary) · output format 1N (0 binary) · key type 3H · key
   * · [IV 16H, CBC] · length 4H (bytes, binary input) · data; answer [IV 16H, CBC] · length 4H · data.
   */
  private byte[] m0m2(String command, CryptogramKeyRef k, CipherSpec spec, byte[] data) {
    byte[] body = new Fields.Writer().text(mode(spec)).text("00").text(typeOf(k)).text(wireForm(k)).text(iv(spec))
        .hexNumber(data.length, 4).bytes(data).toByteArray();
    Fields.Reader r = client.call(command, body, Resend.SAFE, ONLY_OK);
    if (spec.mode() == CipherMode.CBC) {
      r.text(16, "IV");
    }
    int n = r.hexNumber(4, "length");
    byte[] out = r.bytes(n, "data");
    r.end(command);
    return out;
  }

  @Override
  public Bytes encrypt(KeyRef key, CipherSpec spec, Bytes data) {
    if (key instanceof ClearKeyRef) {
      return host.encrypt(key, spec, data);
    }
    check(Operation.ENCRYPT, key);
    return OwnedBytes.wrap(m0m2("M0", lmk(key, "key"), spec, blocks(data)));
  }

  @Override
  public Bytes decrypt(KeyRef key, CipherSpec spec, Bytes data) {
    if (key instanceof ClearKeyRef) {
      return host.decrypt(key, spec, data);
    }
    check(Operation.DECRYPT, key);
    byte[] out = m0m2("M2", lmk(key, "key"), spec, blocks(data));
    Bytes b = Bytes.secret(out);
    java.util.Arrays.fill(out, (byte) 0);
    return b;
  }

  @Override
  public Bytes translate(KeyRef from, CipherSpec fromSpec, KeyRef to, CipherSpec toSpec, Bytes data) {
    check(Operation.TRANSLATE, from);
    KeyUsage.require(to, Operation.TRANSLATE);
    CryptogramKeyRef f = lmk(from, "from");
    CryptogramKeyRef t = lmk(to, "to");
    byte[] in = blocks(data);
    Fields.Reader r;
    if (typeOf(f).equals(ProjectDefined.ZMK)) {
      // project-defined: the CPS transport KEK is a ZMK (it also imports keys with A6)
      byte[] body = new Fields.Writer().text(mode(fromSpec)).text(wireForm(f)).text(mode(toSpec)).text(typeOf(t))
          .text(wireForm(t)).text(iv(fromSpec)).text(iv(toSpec)).hexNumber(in.length, 4).bytes(in).toByteArray();
      r = client.call(ProjectDefined.TRANSLATE_UNDER_KEK, body, Resend.SAFE, ONLY_OK);
    } else {
      // M4 (notes §4 M4: ut-codec-payshield translateDataBlock): source mode 2N · destination mode 2N ·
      // input format 1N · output format 1N · source key type 3H · source key · destination key type 3H ·
      // destination key · [source IV] · [destination IV] · length 4H · data; answer [source IV] ·
      // [destination IV] · length 4H · data
      byte[] body = new Fields.Writer().text(mode(fromSpec)).text(mode(toSpec)).text("00").text(typeOf(f))
          .text(wireForm(f)).text(typeOf(t)).text(wireForm(t)).text(iv(fromSpec)).text(iv(toSpec))
          .hexNumber(in.length, 4).bytes(in).toByteArray();
      r = client.call("M4", body, Resend.SAFE, ONLY_OK);
      if (fromSpec.mode() == CipherMode.CBC) {
        r.text(16, "source IV");
      }
      if (toSpec.mode() == CipherMode.CBC) {
        r.text(16, "destination IV");
      }
    }
    int n = r.hexNumber(4, "length");
    return OwnedBytes.wrap(r.bytes(n, "data"));
  }

  /**
   * Project-defined {@code XP} (see {@code internal.ProjectDefined}): the PIN block is decoded, re-formatted
   * and re-encrypted inside the HSM; the clear PIN never reaches the host.
   */
  @Override
  public Bytes translatePinBlock(dev.perso.crypto.PinBlockTranslation t, Bytes encryptedBlock) {
    Objects.requireNonNull(t, "translation");
    check(Operation.TRANSLATE_PIN_BLOCK, t.from());
    KeyUsage.require(t.to(), Operation.TRANSLATE_PIN_BLOCK);
    CryptogramKeyRef f = lmk(t.from(), "from");
    CryptogramKeyRef to = lmk(t.to(), "to");
    byte[] in = blocks(encryptedBlock);
    String pan = t.pan().orElse("");
    String pad = t.padding() == Padding.NONE ? "0" : t.padding() == Padding.METHOD_1 ? "1"
        : t.padding() == Padding.METHOD_2 ? "2" : null;
    if (pad == null) {
      throw new ValidationException("padding", t.padding() + " is not offered for PIN blocks (none, method 1 or 2)");
    }
    byte[] body = new Fields.Writer().text(typeOf(f)).text(wireForm(f)).text(mode(t.fromSpec())).text(iv(t.fromSpec()))
        .text(String.format("%02d", t.fromFormat().control())).text(typeOf(to)).text(wireForm(to))
        .text(mode(t.toSpec())).text(iv(t.toSpec())).text(String.format("%02d", t.toFormat().control())).text(pad)
        .text(String.format("%02d", pan.length())).text(pan).hexNumber(in.length, 4).bytes(in).toByteArray();
    Fields.Reader r = client.call(ProjectDefined.TRANSLATE_PIN_BLOCK, body, Resend.SAFE, ONLY_OK);
    int n = r.hexNumber(4, "length");
    return OwnedBytes.wrap(r.bytes(n, "block"));
  }

  private static boolean isMacKey(CryptogramKeyRef k) {
    String t = typeOf(k);
    return t.equals(ProjectDefined.TAK) || t.equals(ProjectDefined.ZAK) || t.equals("FFF");
  }

  private static String padCode(Padding p) {
    switch (p) {
      case NONE: return "0";
      case METHOD_1: return "1";
      case METHOD_2: return "2";
      default: throw new ValidationException("padding", p + " is not offered by M6/M8 (ISO 9797-1 methods 1 and 2)");
    }
  }

  /**
   * M6 / M8 (notes §4 M6/M8: ut-codec-payshield generateMac/verifyMac, manual reproductions,
   * thalessimulatorlibrary): mode 1N (0 = only block) · input format 1N (0 binary) · MAC size 1N (0 = 8H,
   * 1 = 16H) · MAC algorithm 1N (1 ISO 9797-1 alg 1, 3 alg 3) · padding 1N · key type 3H · key · length 4H
   * · message [· MAC, M8]; answer MAC (M7) or nothing (M9, error 01 = mismatch).
   */
  private byte[] macBody(CryptogramKeyRef k, MacAlgorithm alg, Padding pad, Bytes data, int size) {
    if (data.length() > 0xFFFF) {
      throw new ValidationException("data", "longer than 65535 bytes");
    }
    return new Fields.Writer().text("0").text("0").text(size == 8 ? "1" : "0")
        .text(alg == MacAlgorithm.ISO9797_1_ALG1 ? "1" : "3").text(padCode(pad)).text(typeOf(k)).text(wireForm(k))
        .hexNumber(data.length(), 4).bytes(data.toByteArray()).toByteArray();
  }

  @Override
  public Bytes mac(KeyRef key, MacAlgorithm algorithm, Padding padding, Bytes data) {
    if (key instanceof ClearKeyRef) {
      return host.mac(key, algorithm, padding, data);
    }
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(padding, "padding");
    Objects.requireNonNull(data, "data");
    Operation op = CryptoBackend.macOperation(algorithm);
    check(op, key);
    if (op == Operation.MAC_CMAC) {
      throw unsupported(op);
    }
    CryptogramKeyRef k = lmk(key, "key");
    if (algorithm == MacAlgorithm.ISO9797_1_ALG1 && !isMacKey(k)) {
      // ISO 9797-1 algorithm 1 = the last block of CBC encryption with a zero IV (an encryption key, M0)
      byte[] padded = padding.apply(data, 8).toByteArray();
      byte[] ct = m0m2("M0", k, CipherSpec.cbcZeroIv(), padded);
      return OwnedBytes.wrap(java.util.Arrays.copyOfRange(ct, ct.length - 8, ct.length));
    }
    return m6(k, algorithm, padding, data);
  }

  private Bytes m6(CryptogramKeyRef k, MacAlgorithm algorithm, Padding padding, Bytes data) {
    Fields.Reader r = client.call("M6", macBody(k, algorithm, padding, data, 8), Resend.SAFE, ONLY_OK);
    return Bytes.fromHex(r.text(16, "MAC"));
  }

  @Override
  public boolean verifyMac(KeyRef key, MacAlgorithm algorithm, Padding padding, Bytes data, Bytes expected) {
    if (key instanceof ClearKeyRef) {
      return host.verifyMac(key, algorithm, padding, data, expected);
    }
    Objects.requireNonNull(expected, "expected");
    check(CryptoBackend.macOperation(algorithm), key);
    CryptogramKeyRef k = lmk(key, "key");
    if (isMacKey(k) && (expected.length() == 4 || expected.length() == 8) && algorithm != MacAlgorithm.CMAC) {
      byte[] body = new Fields.Writer().bytes(macBody(k, algorithm, padding, data, expected.length()))
          .hex(expected.toByteArray()).toByteArray();
      HsmClient.Answer a = client.exchange("M8", body, Resend.SAFE);
      if (a.error().equals("00")) {
        return true;
      }
      if (a.error().equals("01")) {
        return false;
      }
      throw new PayShieldException("M8", a.error(), "MAC verification refused");
    }
    return CryptoBackend.super.verifyMac(key, algorithm, padding, data, expected);
  }

  // ---- derivation and EMV ----------------------------------------------------------------------

  @Override
  public KeyRef derive(KeyRef master, Derivation derivation) {
    Objects.requireNonNull(derivation, "derivation");
    check(derivation.operation(), master);
    CryptogramKeyRef m = lmk(master, "master");
    KeyUsage usage = derivedUsage(master.usage(), derivation);
    String masterType = typeOf(m);
    String outType = ProjectDefined.derivedKeyType(derivation, masterType, usage);
    String fields = ProjectDefined.deriveFields(derivation);
    boolean toHost = sessionKeysToHost && derivation instanceof Derivation.GpScp02 s
        && s.key() != Derivation.Scp02Key.DEK;
    byte[] body = new Fields.Writer().text(fields.substring(0, 2)).text(masterType).text(wireForm(m))
        .text(toHost ? ProjectDefined.CLEAR_OUTPUT : outType).text(fields.substring(2)).toByteArray();
    Fields.Reader r = client.call(ProjectDefined.DERIVE, body, Resend.SAFE, ONLY_OK);
    if (toHost) {
      byte[] clear = r.hex(32, "session key");
      try {
        return ClearKeyRef.ofOwned(KeyAlgorithm.TDES_2KEY, usage, clear.clone())
            .withKcv(new Kcv(KcvMethod.ENCRYPT_ZEROS, Bytes.fromHex(r.text(6, "KCV"))));
      } finally {
        java.util.Arrays.fill(clear, (byte) 0);
      }
    }
    return fromWire(r.key("derived key"), usage, outType, Bytes.fromHex(r.text(6, "KCV")));
  }

  private static KeyUsage derivedUsage(KeyUsage masterUsage, Derivation d) {
    if (d instanceof Derivation.GpScp02 s) {
      return s.key().usage();
    }
    if (d instanceof Derivation.GpDiversification g) {
      return g.key().usage();
    }
    return masterUsage;
  }

  @Override
  public Bytes arqc(KeyRef sessionKey, Padding padding, Bytes data) {
    check(Operation.ARQC, sessionKey);
    Objects.requireNonNull(data, "data");
    return m6(lmk(sessionKey, "sessionKey"), MacAlgorithm.ISO9797_1_ALG3, padding, data);
  }

  @Override
  public Bytes arpc(KeyRef sessionKey, Bytes arqc, Bytes arc) {
    check(Operation.ARPC, sessionKey);
    if (arqc == null || arqc.length() != 8) {
      throw new ValidationException("arqc", "must be 8 bytes");
    }
    if (arc == null || arc.length() != 2) {
      throw new ValidationException("arc", "must be 2 bytes");
    }
    // ARPC method 1 = 3DES(ARQC XOR ARC‖00×6): for one block that is exactly ISO 9797-1 alg 3 without padding
    Bytes x = arqc.xor(Bytes.concat(arc, Bytes.of(new byte[6])));
    return m6(lmk(sessionKey, "sessionKey"), MacAlgorithm.ISO9797_1_ALG3, Padding.NONE, x);
  }

  /**
   * KQ, verify a Visa (scheme 0: the ICC master key from MK-AC by EMV option A is the AC key, CVN 10)
   * ARQC inside the HSM and optionally answer the ARPC (notes §4 KQ: ut-codec-payshield generateArqc3,
   * manual reproductions, thalessimulatorlibrary VerifyARQCAndOrGenerateARPC_KQ): mode 1N (0 verify,
   * 1 verify + ARPC) · scheme ID 1N (0) · MK-AC · PAN/PSN 8B (the 16 right-most digits of PAN‖PSN, BCD) ·
   * ATC 2B · UN 4B · transaction data length 2H · data nB · {@code ;} · ARQC 8B · [ARC 2B, mode 1];
   * answer [ARPC 8B, mode 1]; error 01 = the ARQC does not verify. The HSM zero-pads the data.
   *
   * @param imkAc the issuer master key for ACs (type 109) under the LMK
   * @param pan the PAN
   * @param psn the PAN sequence number, 2 digits
   * @param atc the ATC, 2 bytes
   * @param unpredictableNumber 4 bytes
   * @param transactionData the CDOL1 data the card MACed (1..255 bytes)
   * @param arqc the card's ARQC
   * @param arc the authorisation response code for an ARPC, or null to verify only
   * @return the ARPC when {@code arc} is given, empty when the ARQC verified without one
   * @throws PayShieldException with error code 01 when the ARQC does not verify
   */
  public java.util.Optional<Bytes> verifyArqc(KeyRef imkAc, String pan, String psn, Bytes atc, Bytes unpredictableNumber,
      Bytes transactionData, Bytes arqc, Bytes arc) {
    check(Operation.ARQC, imkAc);
    String digits = Derivation.emvOptionA(pan, psn).pan() + psn;
    String y = digits.substring(digits.length() - 16);
    requireLength(atc, 2, "atc");
    requireLength(unpredictableNumber, 4, "unpredictableNumber");
    requireLength(arqc, 8, "arqc");
    if (transactionData == null || transactionData.isEmpty() || transactionData.length() > 255) {
      throw new ValidationException("transactionData", "must be 1..255 bytes");
    }
    Fields.Writer w = new Fields.Writer().text(arc == null ? "0" : "1").text("0").text(wireForm(lmk(imkAc, "imkAc")))
        .bytes(Bytes.fromHex(y).toByteArray()).bytes(atc.toByteArray()).bytes(unpredictableNumber.toByteArray())
        .hexNumber(transactionData.length(), 2).bytes(transactionData.toByteArray()).text(";")
        .bytes(arqc.toByteArray());
    if (arc != null) {
      requireLength(arc, 2, "arc");
      w.bytes(arc.toByteArray());
    }
    Fields.Reader r = client.call("KQ", w.toByteArray(), Resend.SAFE, ONLY_OK);
    return arc == null ? java.util.Optional.empty() : java.util.Optional.of(Bytes.of(r.bytes(8, "ARPC")));
  }

  private static void requireLength(Bytes b, int n, String field) {
    if (b == null || b.length() != n) {
      throw new ValidationException(field, "must be " + n + " bytes");
    }
  }

  // ---- card and PIN values ---------------------------------------------------------------------

  /**
   * CW, generate a Visa CVV (notes §4 CW: ut-codec-payshield generateCvv, thalessimulatorlibrary
   * GenerateVISACVV_CW, hsm-util CvvGenerate): CVK (1A+32H) · PAN ≤19N · {@code ;} · expiry 4N · service
   * code 3N; answer CVV 3N. The HSM takes PAN‖expiry‖service code, so the expiry goes in the order of
   * {@link CvvInput#expiryOrder()}.
   */
  @Override
  public String cvv(KeyRef cvk, CvvInput input) {
    check(Operation.CVV, cvk);
    Objects.requireNonNull(input, "input");
    CryptogramKeyRef k = lmk(cvk, "cvk");
    String digits = input.dataDigits();
    String expiry = digits.substring(input.pan().length(), input.pan().length() + 4);
    byte[] body = new Fields.Writer().text(wireForm(k)).text(input.pan()).text(";").text(expiry)
        .text(input.serviceCode()).toByteArray();
    Fields.Reader r = client.call("CW", body, Resend.SAFE, ONLY_OK);
    return digits(r.text(3, "CVV"), "CVV");
  }

  private static String digits(String s, String what) {
    if (!s.matches("[0-9]+")) {
      throw new MalformedDataException(0, what + " must be decimal digits");
    }
    return s;
  }

  /** The 12 right-most PAN digits excluding the check digit (the payShield account number field). */
  static String account12(String pan) {
    if (pan == null || !pan.matches("[0-9]{12,19}")) {
      throw new ValidationException("pan", "must be 12..19 digits");
    }
    String a = pan.substring(Math.max(0, pan.length() - 13), pan.length() - 1);
    return "0".repeat(12 - a.length()) + a;
  }

  /**
   * BA, encrypt a clear PIN under the LMK (notes §4 BA: manual reproductions, thalessimulatorlibrary,
   * hsm-util): PIN (L characters: the PIN then F to L) · account 12N; answer PIN under LMK (L characters).
   * The clear PIN is sent as the protocol defines; L is the HSM's configured LMK-PIN length.
   */
  private String ba(String pin, String account) {
    if (pin == null || !pin.matches("[0-9]{4,12}") || pin.length() >= pinLength) {
      throw new ValidationException("pin", "must be 4.." + Math.min(12, pinLength - 1) + " digits");
    }
    Fields.Writer w = new Fields.Writer();
    for (int i = 0; i < pinLength; i++) {
      w.bytes(new byte[] {(byte) (i < pin.length() ? pin.charAt(i) : 'F')});
    }
    byte[] body = w.text(account).toByteArray();
    w.wipe();
    try {
      return client.call("BA", body, Resend.SAFE, ONLY_OK).text(pinLength, "PIN under LMK");
    } finally {
      java.util.Arrays.fill(body, (byte) 0);
    }
  }

  /**
   * BA then DG, Visa PVV of a PIN under the LMK (notes §4 DG: manual reproductions, ut-codec-payshield
   * generatePvvLmk, thalessimulatorlibrary GenerateVISAPVV_DG): PVK (1A+32H) · PIN under LMK · account
   * 12N · PVKI 1N; answer PVV 4N.
   */
  @Override
  public String pvv(KeyRef pvk, String pan, int pvki, String pin) {
    check(Operation.PVV, pvk);
    if (pvki < 0 || pvki > 9) {
      throw new ValidationException("pvki", "must be 0..9");
    }
    CryptogramKeyRef k = lmk(pvk, "pvk");
    String account = account12(pan);
    String lmkPin = ba(pin, account);
    byte[] body = new Fields.Writer().text(wireForm(k)).text(lmkPin).text(account).text(Integer.toString(pvki))
        .toByteArray();
    return digits(client.call("DG", body, Resend.SAFE, ONLY_OK).text(4, "PVV"), "PVV");
  }

  /**
   * BA then DE, IBM 3624 offset of a PIN under the LMK (notes §4 DE: ut-codec-payshield, manual
   * reproductions): PVK · PIN under LMK · check length 2N · account 12N · decimalisation table 16H · PIN
   * validation data 12A ({@code N} = insert the last 5 account digits) ; answer offset 12H (F-padded);
   * error 02 (single-length warning) still carries the offset. The 16-digit validation data is sent as
   * its first 11 characters and {@code N}, with its last 5 digits as the account's last 5.
   */
  private String de(CryptogramKeyRef k, Ibm3624 p, String pin) {
    String vd = p.validationData();
    String last5 = vd.substring(11);
    if (!last5.matches("[0-9]{5}")) {
      throw new ValidationException("validationData", "the last 5 characters must be digits to go through DE");
    }
    String account = "0000000" + last5;
    String lmkPin = ba(pin, account);
    byte[] body = new Fields.Writer().text(wireForm(k)).text(lmkPin).text(String.format("%02d", p.pinLength()))
        .text(account).text(p.decimalizationTable()).text(vd.substring(0, 11) + "N").toByteArray();
    String offset = client.call("DE", body, Resend.SAFE, Set.of("02")).text(12, "offset");
    return digits(offset.substring(0, p.pinLength()), "offset");
  }

  @Override
  public String ibm3624NaturalPin(KeyRef pvk, Ibm3624 params) {
    check(Operation.IBM3624, pvk);
    Objects.requireNonNull(params, "params");
    // natural PIN = the customer PIN whose offset is all zeros: PIN 0…0 gives offset = -natural (mod 10)
    String offset = de(lmk(pvk, "pvk"), params, "0".repeat(params.pinLength()));
    StringBuilder natural = new StringBuilder();
    for (int i = 0; i < offset.length(); i++) {
      natural.append((10 - (offset.charAt(i) - '0')) % 10);
    }
    return natural.toString();
  }

  @Override
  public String ibm3624Offset(KeyRef pvk, Ibm3624 params, String pin) {
    check(Operation.IBM3624, pvk);
    Objects.requireNonNull(params, "params");
    if (pin == null || pin.length() != params.pinLength()) {
      throw new ValidationException("pin", "must have the parameters' PIN length " + params.pinLength());
    }
    return de(lmk(pvk, "pvk"), params, pin);
  }

  @Override
  public void close() {
    client.close();
    host.close();
  }

  @Override
  public String toString() {
    return "PayShieldBackend[" + id + "]";
  }

  /** Settings of a {@link PayShieldBackend}. */
  public static final class Builder {
    private String host;
    private int port = 1500;
    private int connections = 1;
    private int headerLength = 4;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(10);
    private int lmkPinLength = 13;
    private SocketFactory tls;
    private boolean sessionKeysToHost;

    private Builder() {}

    /**
     * GlobalPlatform SCP02 session keys are derived inside the HSM either way; with {@code true} they are
     * handed to the host in clear (project-defined {@code XD} output {@code CLR}), so the per-command
     * C-MAC, ICV encryption and C-DEC run on the host instead of one HSM round trip each. Needed for
     * profiles with SCP02 ICV encryption (single DES under half the C-MAC key, which no host command
     * offers). The KMC and the card's static keys never leave the HSM.
     *
     * @param toHost whether SCP02 session keys come back in clear
     * @return this
     */
    public Builder sessionKeysToHost(boolean toHost) {
      this.sessionKeysToHost = toHost;
      return this;
    }

    /**
     * @param host HSM host name or address
     * @param port its host port (payShield default 1500)
     * @return this
     */
    public Builder address(String host, int port) {
      if (host == null || host.isBlank()) {
        throw new ValidationException("host", "must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new ValidationException("port", "must be 1..65535");
      }
      this.host = host;
      this.port = port;
      return this;
    }

    /**
     * @param n connections in the pool (1..256); each carries one command at a time
     * @return this
     */
    public Builder connections(int n) {
      if (n < 1 || n > 256) {
        throw new ValidationException("connections", "must be 1..256");
      }
      this.connections = n;
      return this;
    }

    /**
     * @param n the HSM's configured message header length (0..12; the header carries a sequence number
     *     that the answer must echo)
     * @return this
     */
    public Builder headerLength(int n) {
      if (n < 0 || n > 12) {
        throw new ValidationException("headerLength", "must be 0..12");
      }
      this.headerLength = n;
      return this;
    }

    /**
     * @param t connect timeout, also the longest wait for a free pooled connection
     * @return this
     */
    public Builder connectTimeout(Duration t) {
      this.connectTimeout = positive(t, "connectTimeout");
      return this;
    }

    /**
     * @param t how long to wait for each answer
     * @return this
     */
    public Builder timeout(Duration t) {
      this.timeout = positive(t, "timeout");
      return this;
    }

    private static Duration positive(Duration t, String field) {
      if (t == null || t.isNegative() || t.isZero()) {
        throw new ValidationException(field, "must be positive");
      }
      return t;
    }

    /**
     * @param n the HSM's LMK-encrypted PIN length L (console setting, 5..13)
     * @return this
     */
    public Builder lmkPinLength(int n) {
      if (n < 5 || n > 13) {
        throw new ValidationException("lmkPinLength", "must be 5..13");
      }
      this.lmkPinLength = n;
      return this;
    }

    /**
     * @param factory a TLS socket factory (e.g. {@code sslContext.getSocketFactory()}); plain TCP without
     * @return this
     */
    public Builder tls(javax.net.ssl.SSLSocketFactory factory) {
      this.tls = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** @return the backend (connections open on first use) */
    public PayShieldBackend build() {
      if (host == null) {
        throw new ValidationException("address", "must be set");
      }
      return new PayShieldBackend(this);
    }
  }
}
