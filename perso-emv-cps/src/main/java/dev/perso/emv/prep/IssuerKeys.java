package dev.perso.emv.prep;

import dev.perso.crypto.KeyRef;
import java.util.Objects;

/**
 * The issuer keys data preparation works with. They stay references: an HSM-held key works as well as
 * a software one.
 *
 * <pre>{@code
 * IssuerKeys keys = new IssuerKeys(imkAc, imkSmi, imkSmc, cvk, pvk, kek, "transport-kek");
 * }</pre>
 *
 * @param imkAc issuer master key for application cryptograms
 * @param imkSmi issuer master key for secure-messaging integrity
 * @param imkSmc issuer master key for secure-messaging confidentiality
 * @param cvk card verification key (CVV, iCVV)
 * @param pvk PIN verification key (PVV)
 * @param transportKek the key sensitive DGIs travel under to the personalization site
 * @param transportKekName the name the perso data uses for it
 */
public record IssuerKeys(KeyRef imkAc, KeyRef imkSmi, KeyRef imkSmc, KeyRef cvk, KeyRef pvk, KeyRef transportKek,
    String transportKekName) {
  /** Rejects nulls. */
  public IssuerKeys {
    Objects.requireNonNull(imkAc, "imkAc");
    Objects.requireNonNull(imkSmi, "imkSmi");
    Objects.requireNonNull(imkSmc, "imkSmc");
    Objects.requireNonNull(cvk, "cvk");
    Objects.requireNonNull(pvk, "pvk");
    Objects.requireNonNull(transportKek, "transportKek");
    Objects.requireNonNull(transportKekName, "transportKekName");
  }
}
