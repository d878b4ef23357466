package dev.perso.samples.prep;

import dev.perso.emv.prep.IssuerKeys;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's software keys, by the labels the shipped example card types use. They are <b>public test
 * keys</b>, never production keys: the GP test key 404142..4F (GlobalPlatformPro) as KMC, the IMK of
 * pyemv's published vectors as IMK-AC (and CVK/PVK, cfpp's vector), separate made-up IMK-SMI and IMK-SMC
 * (each issuer master key has one job), a KEK made up for the demo. {@link #open()} gives a fresh set to
 * close (wipe) after use; {@link #lookup()} is a shared set that lives as long as the JVM.
 *
 * <pre>{@code
 * StepEnvironment env = StepEnvironment.builder(Path.of("."))
 *     .service(CryptoBackend.class, new SoftwareBackend())
 *     .service(KeyLookup.class, DemoKeys.lookup())
 *     .build();
 * CardType debit = ExampleCardTypes.load("debit-example", env);
 * }</pre>
 */
public final class DemoKeys implements KeyLookup, AutoCloseable {
  /** The KMC (TDES) of SCP02 profiles such as {@code vsdc-example}. */
  public static final String KMC = "demo-kmc";
  /** The KMC (AES-128) of SCP03 profiles such as {@code mchip-example}. */
  public static final String KMC_AES = "demo-kmc-aes";
  /** The issuer's KMC (TDES) the demo card type rotates the cards' ISD keys to, replacing the transport {@link #KMC}. */
  public static final String ISSUER_KMC = "demo-issuer-kmc";
  /** The transport KEK sensitive DGIs travel under. */
  public static final String KEK = "demo-kek";
  /** The issuer master key for application cryptograms. */
  public static final String IMK_AC = "demo-imk-ac";
  /** The issuer master key for secure-messaging integrity. */
  public static final String IMK_SMI = "demo-imk-smi";
  /** The issuer master key for secure-messaging confidentiality. */
  public static final String IMK_SMC = "demo-imk-smc";
  /** The card verification key. */
  public static final String CVK = "demo-cvk";
  /** The PIN verification key. */
  public static final String PVK = "demo-pvk";
  /** The name records use for the transport KEK in a DGI's {@code kek}. */
  public static final String TRANSPORT_KEK_NAME = "transport-kek";

  private static final String GP_TEST_KEY = "404142434445464748494A4B4C4D4E4F";
  /** GP key 505152..5F of kaoh/globalplatform's replacekey example: public, for demos only. */
  private static final String GP_TEST_KEY_2 = "505152535455565758595A5B5C5D5E5F";
  private static final String TEST_IMK = "0123456789ABCDEFFEDCBA9876543210";
  private static final String TEST_KEK = "00112233445566778899AABBCCDDEEFF";
  private static final String TEST_IMK_SMI = "1032547698BADCFE0123456789ABCDEF";
  private static final String TEST_IMK_SMC = "FEDCBA98765432101032547698BADCFE";
  private static final DemoKeys INSTANCE = new DemoKeys();

  private final Map<String, KeyRef> keys = new LinkedHashMap<>();

  private DemoKeys() {
    keys.put(KMC, ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, GP_TEST_KEY));
    keys.put(KMC_AES, ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, GP_TEST_KEY));
    keys.put(ISSUER_KMC, ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, GP_TEST_KEY_2));
    keys.put(KEK, ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, TEST_KEK));
    keys.put(IMK_AC, ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, TEST_IMK));
    keys.put(IMK_SMI, ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_SMI, TEST_IMK_SMI));
    keys.put(IMK_SMC, ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_SMC, TEST_IMK_SMC));
    keys.put(CVK, ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, TEST_IMK));
    keys.put(PVK, ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.PVK, TEST_IMK));
  }

  /** @return the shared demo keys (never closed) */
  public static DemoKeys lookup() {
    return INSTANCE;
  }

  /** @return a fresh set of the demo keys; close it to wipe them */
  public static DemoKeys open() {
    return new DemoKeys();
  }

  /** Wipes every key of this set (the shared {@link #lookup()} set cannot be closed). */
  @Override
  public void close() {
    if (this == INSTANCE) {
      return;
    }
    keys.values().forEach(k -> ((ClearKeyRef) k).close());
  }

  @Override
  public Optional<KeyRef> find(String label) {
    return Optional.ofNullable(keys.get(label));
  }

  /**
   * @param label one of this class's labels
   * @return the key
   * @throws dev.perso.core.ValidationException for an unknown label
   */
  public KeyRef key(String label) {
    return find(label).orElseThrow(() -> new dev.perso.core.ValidationException("key", "no demo key labelled '"
        + label + "'"));
  }

  /** @return the issuer keys data preparation uses, with the KEK named {@value #TRANSPORT_KEK_NAME} */
  public IssuerKeys issuerKeys() {
    return new IssuerKeys(key(IMK_AC), key(IMK_SMI), key(IMK_SMC), key(CVK), key(PVK), key(KEK), TRANSPORT_KEK_NAME);
  }

  /** @return the labels, never key values */
  @Override
  public String toString() {
    return "DemoKeys" + keys.keySet();
  }
}
