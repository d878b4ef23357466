package dev.perso.gp;

import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.Derivation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the card's static keys (ENC, MAC, DEK) are derived from a master key (KMC) and the 10-byte key
 * diversification data (KDD) the card returns in INITIALIZE UPDATE.
 *
 * <p>Built in: {@link #NONE}, {@link #EMV_CPS} (EMV CPS 1.1 "KEYDATA"), {@link #VISA2} and {@link #KDF3}
 * (GlobalPlatformPro's names: {@code emv}, {@code visa2}, {@code kdf3}). They run as one
 * {@link dev.perso.crypto.CryptoBackend#derive} call, so an HSM can do them natively.
 *
 * <p>Anything else is a <b>template</b>, written as space-separated tokens:
 * <ul>
 *   <li>{@code $0}..{@code $9}: byte n of the KDD;</li>
 *   <li>{@code $k}: the key number, 01 (ENC), 02 (MAC) or 03 (DEK);</li>
 *   <li>{@code $_}: the counter byte of an SP 800-108 counter-mode KDF with AES-CMAC (counter from 01,
 *       as many blocks as the master key is long); a template with {@code $_} is an AES template;</li>
 *   <li>a literal byte in hex: {@code F0} or {@code 0xF0}.</li>
 * </ul>
 * A template without {@code $_} is encrypted in ECB under the master key (16 bytes for a DES key:
 * the card key is the two cipher blocks; 16 or 32 bytes for an AES key of that length).
 *
 * <pre>{@code
 * Diversification emv = Diversification.template("my-emv", "$4 $5 $6 $7 $8 $9 F0 $k $4 $5 $6 $7 $8 $9 0F $k");
 * Diversification kdf3 = Diversification.template("my-kdf3", "$_ 00 00 00 $k 00 $0 $1 $2 $3 $4 $5 $6 $7 $8 $9");
 * GpKeys keys = GpKeys.diversified(kmc, Diversification.EMV_CPS);
 * }</pre>
 */
public final class Diversification {
  /** The master key is used as ENC, MAC and DEK without diversification. */
  public static final Diversification NONE = new Diversification("none", null, null);
  /** EMV CPS 1.1: {@code KDD[4..9] F0 k KDD[4..9] 0F k} under 3DES-ECB. */
  public static final Diversification EMV_CPS = new Diversification("emv", Derivation.GpDiversification.Method.EMV_CPS, null);
  /** VISA2: {@code KDD[0..1] KDD[4..7] F0 k KDD[0..1] KDD[4..7] 0F k} under 3DES-ECB. */
  public static final Diversification VISA2 = new Diversification("visa2", Derivation.GpDiversification.Method.VISA2, null);
  /** KDF3: AES-CMAC counter KDF over {@code i 00 00 00 k 00 KDD} (AES master keys). */
  public static final Diversification KDF3 = new Diversification("kdf3", Derivation.GpDiversification.Method.KDF3, null);

  private static final List<Diversification> BUILT_IN = List.of(NONE, EMV_CPS, VISA2, KDF3);

  private final String name;
  private final Derivation.GpDiversification.Method method;
  private final List<Token> tokens;

  private Diversification(String name, Derivation.GpDiversification.Method method, List<Token> tokens) {
    this.name = name;
    this.method = method;
    this.tokens = tokens;
  }

  /** @return the four built-in methods: none, emv, visa2, kdf3 */
  public static List<Diversification> builtIns() {
    return BUILT_IN;
  }

  /**
   * @param name {@code none}, {@code emv}, {@code visa2} or {@code kdf3} (case-insensitive)
   * @return the built-in method
   * @throws ValidationException for another name
   */
  public static Diversification named(String name) {
    String n = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
    for (Diversification d : BUILT_IN) {
      if (d.name.equals(n)) {
        return d;
      }
    }
    throw new ValidationException("method", "unknown diversification '" + name + "'; use none, emv, visa2 or kdf3");
  }

  /**
   * Parses a user template (see the class description for the notation).
   *
   * @param name a name for messages
   * @param notation the template
   * @return the diversification
   * @throws MalformedDataException naming the token offset of a bad token
   */
  public static Diversification template(String name, String notation) {
    if (name == null || name.isBlank()) {
      throw new ValidationException("name", "must not be blank");
    }
    Objects.requireNonNull(notation, "notation");
    List<Token> out = new ArrayList<>();
    String[] parts = notation.trim().split("\\s+");
    int counters = 0;
    for (int i = 0; i < parts.length; i++) {
      String t = parts[i];
      if (t.isEmpty()) {
        continue;
      }
      if (t.equals("$k")) {
        out.add(new Token(Token.KEY, 0));
      } else if (t.equals("$_")) {
        out.add(new Token(Token.COUNTER, 0));
        counters++;
      } else if (t.length() == 2 && t.charAt(0) == '$' && Character.isDigit(t.charAt(1))) {
        out.add(new Token(Token.KDD, t.charAt(1) - '0'));
      } else {
        String hex = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
        if (!hex.matches("[0-9A-Fa-f]{2}")) {
          throw new MalformedDataException(i, "template token " + (i + 1) + " '" + t
              + "' is not $0..$9, $k, $_ or a hex byte");
        }
        out.add(new Token(Token.LITERAL, Integer.parseInt(hex, 16)));
      }
    }
    if (out.isEmpty()) {
      throw new ValidationException("notation", "template is empty");
    }
    if (counters > 1) {
      throw new ValidationException("notation", "template may contain $_ at most once");
    }
    if (counters == 0 && out.size() != 16 && out.size() != 32) {
      throw new ValidationException("notation", "an ECB template must give 16 or 32 bytes, gave " + out.size());
    }
    return new Diversification(name, null, Collections.unmodifiableList(out));
  }

  /** @return the name: {@code none}, {@code emv}, {@code visa2}, {@code kdf3} or the template's name */
  public String name() {
    return name;
  }

  /** @return true for {@link #NONE} */
  public boolean isNone() {
    return this == NONE;
  }

  /** @return the backend derivation method of a built-in, empty for {@link #NONE} and templates */
  public Optional<Derivation.GpDiversification.Method> method() {
    return Optional.ofNullable(method);
  }

  /** @return true for a template with a {@code $_} KDF counter */
  public boolean isKdfTemplate() {
    return tokens != null && tokens.stream().anyMatch(t -> t.kind == Token.COUNTER);
  }

  /**
   * Builds the derivation data of a template.
   *
   * @param keyNumber 1 ENC, 2 MAC, 3 DEK
   * @param kdd 10 bytes
   * @param counter the KDF counter (ignored without {@code $_})
   * @return the data
   */
  byte[] data(int keyNumber, byte[] kdd, int counter) {
    if (tokens == null) {
      throw new IllegalStateException("not a template");
    }
    byte[] d = new byte[tokens.size()];
    for (int i = 0; i < d.length; i++) {
      Token t = tokens.get(i);
      switch (t.kind) {
        case Token.KDD: d[i] = kdd[t.value]; break;
        case Token.KEY: d[i] = (byte) keyNumber; break;
        case Token.COUNTER: d[i] = (byte) counter; break;
        default: d[i] = (byte) t.value;
      }
    }
    return d;
  }

  @Override
  public String toString() {
    return "Diversification[" + name + "]";
  }

  private record Token(int kind, int value) {
    static final int LITERAL = 0;
    static final int KDD = 1;
    static final int KEY = 2;
    static final int COUNTER = 3;
  }
}
