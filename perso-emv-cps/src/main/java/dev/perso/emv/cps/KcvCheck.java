package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KCV check of key DGIs, before anything is sent to a card: each KCV DGI against the keys of its key
 * DGI with the profile's {@link KcvRule}, computed under the transport KEK inside the backend, or added
 * when data preparation left it out.
 */
final class KcvCheck {
  /** KCVs of clear key DGIs (test data only): computed in software, never imported into an HSM. */
  private static final CryptoBackend SOFT_KCV = new dev.perso.crypto.SoftwareBackend();
  private final CryptoBackend crypto;
  private final DgiPreparation transport;

  KcvCheck(CryptoBackend crypto, DgiPreparation transport) {
    this.crypto = crypto;
    this.transport = transport;
  }

  /** Checks each KCV DGI against its key DGI, or adds it when absent (profile {@code kcv} map). */
  void check(String cardId, String where, CardProfile profile, List<InputDgi> inputs) {
    for (Map.Entry<Integer, KcvRule> e : profile.kcvRules().entrySet()) {
      KcvRule rule = e.getValue();
      Optional<InputDgi> keys = inputs.stream().filter(d -> d.dgi().id() == rule.keyDgi()).findFirst();
      if (keys.isEmpty()) {
        continue;
      }
      Optional<InputDgi> kcvs = inputs.stream().filter(d -> d.dgi().id() == e.getKey()).findFirst();
      String field = where + " dgi " + keys.get().dgi().idHex();
      Bytes all = keys.get().dgi().value();
      checkKcvLength(field, where, rule, kcvs.map(k -> k.dgi()).orElse(null), keys.get().dgi());
      int keyLength = rule.keyAlgorithm().keyLength();
      List<Bytes> computed = new ArrayList<>();
      for (int at = 0; at < all.length(); at += keyLength) {
        Bytes chunk = all.slice(at, at + keyLength);
        if (keys.get().transportKey().isPresent()) {
          // The backend computes the KCV of the key under the KEK inside; no clear key reaches this class.
          KeyRef kek = transport.kek(keys.get().transportKey().get(), field);
          computed.add(crypto.kcvUnderKek(kek, rule.keyAlgorithm(), chunk, rule.method(), rule.length()).value());
        } else {
          // A clear key DGI (test data): the key is in this record anyway; a transient software key, wiped.
          try (ClearKeyRef k = ClearKeyRef.of(rule.keyAlgorithm(), KeyUsage.DATA, chunk)) {
            computed.add(SOFT_KCV.kcv(k, rule.method(), rule.length()).value());
          }
        }
      }
      Bytes kcvValue = Bytes.concat(computed.toArray(Bytes[]::new));
      if (kcvs.isPresent()) {
        Bytes given = kcvs.get().dgi().value();
        int n = rule.length();
        for (int i = 0; i < computed.size() && given.length() >= (i + 1) * n; i++) {
          if (!given.slice(i * n, i * n + n).constantTimeEquals(computed.get(i))) {
            throw new ValidationException(where + " dgi " + kcvs.get().dgi().idHex(),
                "KCV " + (i + 1) + " does not match key " + (i + 1) + " of DGI " + keys.get().dgi().idHex());
          }
        }
        if (!given.constantTimeEquals(kcvValue)) {
          throw new ValidationException(where + " dgi " + kcvs.get().dgi().idHex(),
              "KCVs do not match the keys in DGI " + keys.get().dgi().idHex());
        }
      } else {
        int after = inputs.indexOf(keys.get()) + 1;
        inputs.add(after, InputDgi.clear(Dgi.of(e.getKey(), kcvValue)));
      }
    }
  }

  /**
   * Checks that a key DGI holds whole keys of the rule's algorithm and its KCV DGI, when given, the rule's
   * KCV length per key.
   *
   * @param keyField the key DGI's field name for messages
   * @param where the record's location, card and application for messages
   * @param rule the profile's KCV rule for the key DGI
   * @param kcv the KCV DGI, or null when absent
   * @param keys the key DGI
   */
  static void checkKcvLength(String keyField, String where, KcvRule rule, Dgi kcv, Dgi keys) {
    int keysLength = keys.value().length();
    int keyLength = rule.keyAlgorithm().keyLength();
    if (keysLength == 0 || keysLength % keyLength != 0) {
      throw new ValidationException(keyField, "key DGI must hold whole " + keyLength + "-byte " + rule.keyAlgorithm()
          + " keys, was " + keysLength + " bytes");
    }
    int expected = keysLength / keyLength * rule.length();
    if (kcv != null && kcv.value().length() != expected) {
      throw new ValidationException(where + " dgi " + kcv.idHex(), "KCV DGI must hold " + rule.length()
          + " bytes per key of DGI " + keys.idHex() + " (" + expected + " bytes), was " + kcv.value().length() + " bytes");
    }
  }
}
