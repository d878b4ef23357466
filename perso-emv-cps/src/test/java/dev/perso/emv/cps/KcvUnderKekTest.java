package dev.perso.emv.cps;

import static dev.perso.emv.cps.TestCards.KEK;
import static dev.perso.emv.cps.TestCards.KMC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.record.CardRecord;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.Ibm3624;
import dev.perso.crypto.Kcv;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyComponent;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyTemplate;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Operation;
import dev.perso.crypto.Padding;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.crypto.Tr31Header;
import dev.perso.emv.card.VirtualEmvCard;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When a key DGI comes without its KCV DGI, {@link CpsPersonalizer} has the backend compute the KCVs of the
 * keys under the transport KEK ({@link CryptoBackend#kcvUnderKek}): nothing is decrypted or imported in clear.
 */
class KcvUnderKekTest {
  @Test
  void missingKcvDgiIsComputedUnderTheKekInsideTheBackend() {
    Recording crypto = new Recording(new SoftwareBackend());
    CardProfile vsdc = CardProfile.example("vsdc-example");
    CardRecord full = TestCards.card("0001", TestCards.VSDC, "vsdc-example", false);
    ApplicationData app = ApplicationsSection.decode(full).get(0);
    Bytes expectedKcvs = app.dgis().stream().filter(d -> d.dgi().id() == 0x9000).findFirst().orElseThrow().dgi().value();
    List<InputDgi> withoutKcv = new ArrayList<>(app.dgis());
    withoutKcv.removeIf(d -> d.dgi().id() == 0x9000);
    CardRecord data = TestCards.record("0001", List.of(new ApplicationData(app.aid(), app.profile(), withoutKcv)));
    VirtualEmvCard card = VirtualEmvCard.builder(TestCards.CRYPTO, KMC, vsdc).kdd(Bytes.fromHex("00000000000000000042"))
        .build();

    CpsPersonalizer.builder(crypto).profile(vsdc, KMC).transportKey("transport-kek", KEK).build()
        .personalize(VirtualCard.connect(card), data);

    assertThat(card.state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(card.storedDgis(TestCards.VSDC)).contains(0x9000);
    assertThat(crypto.calls).contains(Operation.KCV_UNDER_KEK)
        .doesNotContain(Operation.DECRYPT, Operation.IMPORT_CLEAR, Operation.IMPORT_UNDER_KEK);
    assertThat(crypto.kcvs).containsExactly(expectedKcvs.slice(0, 3), expectedKcvs.slice(3, 6), expectedKcvs.slice(6, 9));
  }

  /** Delegates to a software backend and records which operations ran. */
  static final class Recording implements CryptoBackend {
    final CryptoBackend d;
    final List<Operation> calls = new ArrayList<>();
    final List<Bytes> kcvs = new ArrayList<>();

    Recording(CryptoBackend d) {
      this.d = d;
    }

    @Override
    public String id() {
      return "recording";
    }

    @Override
    public Set<Operation> capabilities() {
      return d.capabilities();
    }

    @Override
    public Bytes encrypt(KeyRef key, CipherSpec spec, Bytes data) {
      calls.add(Operation.ENCRYPT);
      return d.encrypt(key, spec, data);
    }

    @Override
    public Bytes decrypt(KeyRef key, CipherSpec spec, Bytes data) {
      calls.add(Operation.DECRYPT);
      return d.decrypt(key, spec, data);
    }

    @Override
    public Bytes translate(KeyRef from, CipherSpec fromSpec, KeyRef to, CipherSpec toSpec, Bytes data) {
      calls.add(Operation.TRANSLATE);
      return d.translate(from, fromSpec, to, toSpec, data);
    }

    @Override
    public Bytes translatePinBlock(dev.perso.crypto.PinBlockTranslation translation, Bytes encryptedBlock) {
      calls.add(Operation.TRANSLATE_PIN_BLOCK);
      return d.translatePinBlock(translation, encryptedBlock);
    }

    @Override
    public Bytes mac(KeyRef key, MacAlgorithm algorithm, Padding padding, Bytes data) {
      return d.mac(key, algorithm, padding, data);
    }

    @Override
    public Kcv kcv(KeyRef key, KcvMethod method, int length) {
      calls.add(Operation.KCV);
      return d.kcv(key, method, length);
    }

    @Override
    public Kcv kcvUnderKek(KeyRef kek, KeyAlgorithm algorithm, Bytes cryptogram, KcvMethod method, int length) {
      calls.add(Operation.KCV_UNDER_KEK);
      Kcv k = d.kcvUnderKek(kek, algorithm, cryptogram, method, length);
      kcvs.add(k.value());
      return k;
    }

    @Override
    public KeyRef importClear(KeyTemplate template, Bytes value) {
      calls.add(Operation.IMPORT_CLEAR);
      return d.importClear(template, value);
    }

    @Override
    public KeyRef importComponents(KeyTemplate template, List<KeyComponent> components) {
      calls.add(Operation.IMPORT_COMPONENTS);
      return d.importComponents(template, components);
    }

    @Override
    public KeyRef importUnderKek(KeyTemplate template, KeyRef kek, Bytes cryptogram, Bytes expectedKcv) {
      calls.add(Operation.IMPORT_UNDER_KEK);
      return d.importUnderKek(template, kek, cryptogram, expectedKcv);
    }

    @Override
    public Bytes exportUnderKek(KeyRef key, KeyRef kek) {
      return d.exportUnderKek(key, kek);
    }

    @Override
    public String exportTr31(KeyRef key, KeyRef kbpk, Tr31Header header) {
      return d.exportTr31(key, kbpk, header);
    }

    @Override
    public KeyRef importTr31(KeyTemplate template, KeyRef kbpk, String keyBlock) {
      return d.importTr31(template, kbpk, keyBlock);
    }

    @Override
    public KeyRef derive(KeyRef master, Derivation derivation) {
      return d.derive(master, derivation);
    }

    @Override
    public Bytes arqc(KeyRef sessionKey, Padding padding, Bytes data) {
      return d.arqc(sessionKey, padding, data);
    }

    @Override
    public Bytes arpc(KeyRef sessionKey, Bytes arqc, Bytes arc) {
      return d.arpc(sessionKey, arqc, arc);
    }

    @Override
    public String cvv(KeyRef cvk, CvvInput input) {
      return d.cvv(cvk, input);
    }

    @Override
    public String pvv(KeyRef pvk, String pan, int pvki, String pin) {
      return d.pvv(pvk, pan, pvki, pin);
    }

    @Override
    public String ibm3624NaturalPin(KeyRef pvk, Ibm3624 params) {
      return d.ibm3624NaturalPin(pvk, params);
    }
  }
}
