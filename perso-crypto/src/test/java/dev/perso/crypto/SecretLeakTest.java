package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.perso.core.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets (key bytes, PINs, CVVs) never appear in {@code toString()}, exception messages or the log.
 * The crypto loggers run at DEBUG in tests (see the surefire configuration); slf4j-simple writes to
 * {@code System.err}, which is captured here.
 */
class SecretLeakTest {
  static final String KEY = "0123456789ABCDEFFEDCBA9876543210";
  static final String COMPONENT = "1C1D1E1F2A2B2C2D3A3B3C3D4A4B4C4D";
  static final String PIN = "4524";

  final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  PrintStream saved;
  final List<String> texts = new ArrayList<>();

  @BeforeEach
  void capture() {
    saved = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(saved);
  }

  void scan(String... secrets) {
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the crypto debug log is captured").contains("CVV").contains("PVV");
    texts.add(log);
    for (String text : texts) {
      for (String s : secrets) {
        assertThat(text.toUpperCase()).as("no secret in: " + text).doesNotContain(s.toUpperCase());
      }
    }
  }

  void note(Object o) {
    texts.add(String.valueOf(o));
  }

  void noteFailure(Runnable r) {
    Throwable t = catchThrowable(r::run);
    assertThat(t).isNotNull();
    for (Throwable c = t; c != null; c = c.getCause()) {
      texts.add(c.toString());
    }
  }

  void exercise(CryptoBackend backend, java.util.function.Function<KeyUsage, KeyRef> keys, List<String> secrets) {
    KeyRef key = keys.apply(KeyUsage.CVK);
    String cvv = backend.cvv(key, CvvInput.of("4123456789012345", "8701", "101"));
    String pvv = backend.pvv(keys.apply(KeyUsage.PVK), "1122334455667788", 3, PIN);
    secrets.add(cvv);
    secrets.add(pvv);
    KeyRef derived = backend.derive(keys.apply(KeyUsage.IMK_AC), Derivation.emvOptionA("12345678901234567", "01"));
    secrets.add(((ClearKeyRef) derived).toSecretBytes().toHex());
    note(derived);
    note(key);
    note(backend.kcv(key, KcvMethod.ENCRYPT_ZEROS));
    note(backend.decrypt(keys.apply(KeyUsage.DATA), CipherSpec.ecb(), Bytes.fromHex("41D2FFBA3CDC15FE")));
    note(backend.derive(keys.apply(KeyUsage.IMK_AC), Derivation.emvOptionA("12345678901234567", "01")));
    note(new KeyComponent(Bytes.fromHex(COMPONENT), Bytes.fromHex("000000")));
    note(PinBlock.encode(PinBlock.Format.ISO_0, PIN, "4111111111111111"));
    noteFailure(() -> backend.importComponents(KeyTemplate.of(SoftHsm.label("leak"), KeyAlgorithm.TDES_2KEY, KeyUsage.CVK),
        List.of(KeyComponent.of(Bytes.fromHex(COMPONENT), Bytes.fromHex("000000")),
            KeyComponent.of(Bytes.fromHex(KEY), Bytes.fromHex("08D7B4")))));
    noteFailure(() -> backend.pvv(keys.apply(KeyUsage.PVK), "1122334455667788", 12, PIN));
    noteFailure(() -> backend.pvv(keys.apply(KeyUsage.PVK), "11223344556677X8", 1, PIN));
    noteFailure(() -> PinBlock.decode(PinBlock.Format.ISO_2, PinBlock.encode(PinBlock.Format.ISO_0, PIN,
        "4111111111111111"), null));
    noteFailure(() -> ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, KEY + "00"));
    noteFailure(() -> ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, KEY.substring(2) + "ZZ"));
  }

  @Test
  void softwareBackendNeverPrintsSecrets() {
    SoftwareBackend sw = new SoftwareBackend();
    ClearKeyRef key = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, KEY);
    List<String> secrets = new ArrayList<>(List.of(KEY, KEY.substring(0, 16), KEY.substring(16), COMPONENT, PIN,
        "3132333435363738"));
    exercise(sw, key::withUsage, secrets);
    key.close();
    noteFailure(() -> sw.cvv(key, CvvInput.of("4123456789012345", "8701", "101")));
    note(key);
    scan(secrets.toArray(new String[0]));
  }

  @Test
  void pkcs11BackendNeverPrintsSecrets() {
    Pkcs11Backend hsm = SoftHsm.backendWithHalves();
    java.util.function.Function<KeyUsage, KeyRef> keys = u -> hsm.importClear(
        KeyTemplate.of(SoftHsm.label("leak"), KeyAlgorithm.TDES_2KEY, u), Bytes.fromHex(KEY));
    List<String> secrets = new ArrayList<>(List.of(KEY, KEY.substring(0, 16), KEY.substring(16), COMPONENT, PIN,
        "3132333435363738"));
    exercise(hsm, keys, secrets);
    scan(secrets.toArray(new String[0]));
  }
}
