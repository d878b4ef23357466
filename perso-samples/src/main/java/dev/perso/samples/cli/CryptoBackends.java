package dev.perso.samples.cli;

import dev.perso.core.ValidationException;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.crypto.payshield.PayShieldBackend;

/** The {@code --crypto} option: {@code software} or {@code payshield://HOST:PORT[?connections=N&header=N]}. */
final class CryptoBackends {
  private CryptoBackends() {}

  /**
   * @param spec the option's value
   * @return the backend (the caller closes it)
   */
  static CryptoBackend open(String spec) {
    if (spec == null || spec.equals("software")) {
      return new SoftwareBackend();
    }
    if (spec.startsWith("payshield://")) {
      return PayShieldBackend.open(spec);
    }
    throw new ValidationException("--crypto", "must be software or payshield://HOST:PORT, was " + spec);
  }
}
