package dev.perso.emv.cps;

import dev.perso.core.ValidationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How an application's DGIs are sent: the STORE DATA DGI-format bit, the encryption and padding rule of
 * each DGI (and of the others), and which DGIs hold KCVs of which key DGIs. A {@link CardProfile} has
 * one table for all its applications; an {@link ApplicationProfile} may carry its own
 * ({@link ApplicationProfile#withDgiRules}), which replaces the card's for that application.
 *
 * <pre>{@code
 * DgiRules mchip = DgiRules.builder().dgiFormatBit(true)
 *     .dgi(0x8000, DgiEncryption.ENCRYPTED).dgi(0x8010, DgiEncryption.ENCRYPTED_PAD_IF_NEEDED)
 *     .kcv(0x9000, KcvRule.tdes(0x8000))
 *     .build();
 * DgiEncryption rule = mchip.encryptionOf(0x8000);   // ENCRYPTED
 * }</pre>
 */
public final class DgiRules {
  private final boolean dgiFormatBit;
  private final DgiEncryption defaultDgi;
  private final Map<Integer, DgiEncryption> dgis;
  private final Map<Integer, KcvRule> kcvRules;
  private final Map<Integer, Integer> kcvDgis;

  private DgiRules(Builder b) {
    this.dgiFormatBit = b.dgiFormatBit;
    this.defaultDgi = b.defaultDgi;
    this.dgis = Collections.unmodifiableMap(new TreeMap<>(b.dgis));
    this.kcvRules = Collections.unmodifiableMap(new TreeMap<>(b.kcvRules));
    Map<Integer, Integer> keys = new TreeMap<>();
    b.kcvRules.forEach((kcv, rule) -> keys.put(kcv, rule.keyDgi()));
    this.kcvDgis = Collections.unmodifiableMap(keys);
  }

  /** @return a builder: no DGI-format bit, every DGI plaintext, no KCV DGIs */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder pre-filled with these rules, to derive a variant */
  public Builder toBuilder() {
    Builder b = new Builder().dgiFormatBit(dgiFormatBit).defaultDgi(defaultDgi);
    dgis.forEach(b::dgi);
    kcvRules.forEach(b::kcv);
    return b;
  }

  /** @return whether STORE DATA P1 carries the DGI-format bits (0x08) */
  public boolean dgiFormatBit() {
    return dgiFormatBit;
  }

  /** @return the rule of DGIs without one of their own */
  public DgiEncryption defaultDgi() {
    return defaultDgi;
  }

  /**
   * @param dgi a DGI
   * @return how it is sent: its own rule, or the default
   */
  public DgiEncryption encryptionOf(int dgi) {
    return dgis.getOrDefault(dgi, defaultDgi);
  }

  /** @return the explicit per-DGI rules */
  public Map<Integer, DgiEncryption> dgis() {
    return dgis;
  }

  /** @return KCV DGI to how its keys are checked (key DGI, key algorithm, KCV method and length) */
  public Map<Integer, KcvRule> kcvRules() {
    return kcvRules;
  }

  /** @return KCV DGI to key DGI, e.g. 9000 -> 8000 */
  public Map<Integer, Integer> kcvDgis() {
    return kcvDgis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DgiRules r && r.dgiFormatBit == dgiFormatBit && r.defaultDgi == defaultDgi
        && r.dgis.equals(dgis) && r.kcvRules.equals(kcvRules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dgiFormatBit, defaultDgi, dgis, kcvRules);
  }

  /** @return e.g. {@code DgiRules[default PLAINTEXT, 2 DGI rules, KCV DGIs {36864=32768}, format bit]} */
  @Override
  public String toString() {
    return "DgiRules[default " + defaultDgi + ", " + dgis.size() + " DGI rules, KCV DGIs " + kcvDgis
        + (dgiFormatBit ? ", format bit]" : "]");
  }

  /** Builds {@link DgiRules}. */
  public static final class Builder {
    private boolean dgiFormatBit;
    private DgiEncryption defaultDgi = DgiEncryption.PLAINTEXT;
    private final Map<Integer, DgiEncryption> dgis = new LinkedHashMap<>();
    private final Map<Integer, KcvRule> kcvRules = new LinkedHashMap<>();

    private Builder() {}

    /** @param set whether STORE DATA P1 carries 0x08 (DGI format) @return this builder */
    public Builder dgiFormatBit(boolean set) {
      this.dgiFormatBit = set;
      return this;
    }

    /** @param rule the rule for DGIs without one of their own (default plaintext) @return this builder */
    public Builder defaultDgi(DgiEncryption rule) {
      this.defaultDgi = Objects.requireNonNull(rule);
      return this;
    }

    /**
     * @param dgi a DGI
     * @param rule how it is sent
     * @return this builder
     */
    public Builder dgi(int dgi, DgiEncryption rule) {
      if (dgi < 0 || dgi > 0xFFFF) {
        throw new ValidationException("dgi", "must be 0000..FFFF");
      }
      dgis.put(dgi, Objects.requireNonNull(rule));
      return this;
    }

    /** Forgets the per-DGI rules given so far (a variant's own table). @return this builder */
    public Builder clearDgis() {
      dgis.clear();
      return this;
    }

    /**
     * @param kcvDgi the DGI holding KCVs, e.g. 0x9000
     * @param rule the key DGI and how its keys are checked
     * @return this builder
     */
    public Builder kcv(int kcvDgi, KcvRule rule) {
      if (kcvDgi < 0 || kcvDgi > 0xFFFF) {
        throw new ValidationException("kcv", "a DGI is 0000..FFFF, was " + kcvDgi);
      }
      kcvRules.put(kcvDgi, Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** Forgets the KCV rules given so far. @return this builder */
    public Builder clearKcvs() {
      kcvRules.clear();
      return this;
    }

    /** @return the rules */
    public DgiRules build() {
      return new DgiRules(this);
    }
  }
}
