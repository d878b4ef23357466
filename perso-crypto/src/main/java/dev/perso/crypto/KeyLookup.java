package dev.perso.crypto;

import dev.perso.core.ValidationException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Resolves the key labels that configuration files use (card types name {@code "kmc": "demo-kmc"}, never
 * key values) to key references. An application puts one into the step environment: a map of software
 * keys for demos, PKCS#11 labels for a token, key blocks under an HSM's master key.
 *
 * <pre>{@code
 * KeyLookup keys = KeyLookup.of(Map.of("demo-kmc", kmc, "demo-cvk", cvk));
 * KeyRef kmc = keys.require("demo-kmc", "debit.json $.steps[1].kmc", KeyUsage.KMC);
 * KeyLookup token = label -> Optional.of(TokenKeyRef.of(label, KeyAlgorithm.TDES_2KEY, KeyUsage.KMC));
 * }</pre>
 */
@FunctionalInterface
public interface KeyLookup {

  /**
   * @param label the key's label
   * @return the key, if this lookup knows the label
   */
  Optional<KeyRef> find(String label);

  /**
   * @param label the key's label
   * @param field where the label was written, for the error
   * @param usage the usage the key must have
   * @return the key
   * @throws ValidationException naming the field if the label is unknown or the key has another usage
   */
  default KeyRef require(String label, String field, KeyUsage usage) {
    KeyRef k = find(label).orElseThrow(() -> new ValidationException(field, "no key labelled '" + label + "'"));
    if (k.usage() != usage) {
      throw new ValidationException(field, "key '" + label + "' is a " + k.usage() + " key, a " + usage
          + " key is needed");
    }
    return k;
  }

  /**
   * @param keys keys by label
   * @return a lookup over a copy of the map
   */
  static KeyLookup of(Map<String, KeyRef> keys) {
    Map<String, KeyRef> copy = Map.copyOf(Objects.requireNonNull(keys, "keys"));
    return new KeyLookup() {
      @Override
      public Optional<KeyRef> find(String label) {
        return Optional.ofNullable(copy.get(label));
      }

      @Override
      public String toString() {
        return "KeyLookup" + new TreeMap<>(copy).keySet();
      }
    };
  }
}
