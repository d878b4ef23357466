package dev.perso.gp;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyRef;
import dev.perso.emv.cps.Dgi;
import dev.perso.gp.internal.StaticKeys;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * GlobalPlatform card management over an open {@link GpSecureChannel} to the Issuer Security Domain: key
 * rotation (PUT KEY, GP 2.3.1 §11.8; or STORE DATA key loading with DGIs 00B9/8113, §11.11.4), INSTALL,
 * LOAD of a {@link CapFile}, DELETE, SET STATUS, GET STATUS and GET DATA (CPLC, key information).
 *
 * <p>New keys are diversified per card with the card's KDD and sent encrypted under the channel's DEK
 * inside the {@link CryptoBackend} ({@link GpSecureChannel#encryptSensitiveKey}); the card's key check
 * values are compared with the backend's. Nothing that can stop a card is sent unless the manager was built
 * with {@link Builder#allowLocking()}: CARD_LOCKED, TERMINATED, application LOCKED, and DELETE of the ISD are
 * refused before any byte goes out.
 *
 * <pre>{@code
 * try (GpSecureChannel isd = Scp02.open(reader, transportKeys, options)) {
 *   GpCardManager gp = GpCardManager.builder(isd, crypto).build();
 *   gp.install(pkgAid, appletAid, instanceAid, Privilege.encode(Set.of()), Bytes.empty());
 *   KeyRotation r = gp.putKeys(GpKeys.diversified(issuerKmc, Diversification.EMV_CPS), 0x02);
 *   gp.setCardStatus(CardLifeCycle.SECURED);
 * }
 * }</pre>
 */
public final class GpCardManager {
  /** Key usage qualifiers sent in DGI 00B9 tag 95 for ENC, MAC, DEK (GP 2.3.1 §11.1.9: C-ENC, C-MAC, C-DEK). */
  static final int[] KEY_USAGE = {0x18, 0x14, 0x48};

  private final GpSecureChannel channel;
  private final CryptoBackend crypto;
  private final boolean allowLocking;

  private GpCardManager(Builder b) {
    this.channel = b.channel;
    this.crypto = b.crypto;
    this.allowLocking = b.allowLocking;
  }

  /**
   * @param channel an authenticated channel to the ISD (C-MAC at least; C-DEC recommended for keys)
   * @param crypto the backend the channel computes with (for new keys and their KCVs)
   * @return a builder
   */
  public static Builder builder(GpSecureChannel channel, CryptoBackend crypto) {
    return new Builder(channel, crypto);
  }

  /** @return the channel in use */
  public GpSecureChannel channel() {
    return channel;
  }

  /**
   * The outcome of a key rotation.
   *
   * @param oldKeyVersion the key version the channel was opened with
   * @param newKeyVersion the key version the card holds now
   * @param kcvs the new keys' check values as the card confirmed them, hex (ENC, MAC, DEK)
   */
  public record KeyRotation(int oldKeyVersion, int newKeyVersion, List<String> kcvs) {}

  /**
   * Replaces the key set the channel was opened with by new keys (PUT KEY, GP 2.3.1 §11.8.2: P1 the old
   * key version, P2 {@code 81} = key ID 1 and following, ENC MAC DEK in that order) and checks the key
   * check values the card returns (§11.8.3.1). SCP02 cards take 3DES keys (type 80, KCV = 3DES of zeros,
   * §B.6); SCP03 cards AES keys (type 88, KCV = AES of 01 bytes, Amendment D §7.2.2).
   *
   * @param newKeys the new keys: static, or a KMC diversified with this card's KDD
   * @param newKeyVersion the new key version 01..7F
   * @return what the card holds now
   * @throws KeyRotationException saying which key set the card holds when the card refuses the keys, does
   *     not answer, or confirms other check values
   */
  public KeyRotation putKeys(GpKeys newKeys, int newKeyVersion) {
    requireKvn(newKeyVersion);
    int oldKvn = channel.initializeUpdateResponse().keyVersion();
    List<String> expected = new ArrayList<>();
    CommandApdu command;
    try (StaticKeys keys = newKeys.resolve(crypto, channel.initializeUpdateResponse().kdd())) {
      ByteArrayOutputStream d = new ByteArrayOutputStream();
      d.write(newKeyVersion);
      for (KeyRef k : new KeyRef[] {keys.enc, keys.mac, keys.dek}) {
        d.writeBytes(putKeyField(k, expected).toByteArray());
      }
      command = CommandApdu.of(GpCommands.CLA, 0xD8, oldKvn, 0x81, OwnedBytes.wrap(d.toByteArray()), 256);
    }
    ResponseApdu r;
    try {
      r = channel.transmit(command);
    } catch (TransportException e) {
      throw new KeyRotationException("PUT KEY got no answer", KeyRotationException.Holding.UNKNOWN, newKeyVersion, e);
    }
    if (!r.isSuccess()) {
      throw new KeyRotationException("PUT KEY refused with " + r.sw().toHex() + " (" + r.sw().meaning() + ")",
          KeyRotationException.Holding.OLD_KEYS, oldKvn, null);
    }
    Bytes want = Bytes.concat(Bytes.ofUnsigned(newKeyVersion), Bytes.fromHex(String.join("", expected)));
    if (!r.data().equals(want)) {
      throw new KeyRotationException("PUT KEY answered " + r.data().toHex() + ", expected key version and check "
          + "values " + want.toHex(), KeyRotationException.Holding.NEW_KEYS, newKeyVersion, null);
    }
    return new KeyRotation(oldKvn, newKeyVersion, List.copyOf(expected));
  }

  /** One key data field (Table 11-68): type, length, encrypted component block, KCV length, KCV. */
  private Bytes putKeyField(KeyRef key, List<String> kcvs) {
    boolean aes = key.algorithm().isAes();
    if (aes != channel.version().aes()) {
      throw new ValidationException("newKeys", "SCP0" + channel.scp() + " takes " + (channel.version().aes() ? "AES" : "3DES")
          + " keys, got " + key.algorithm());
    }
    Bytes wrapped = channel.encryptSensitiveKey(key);
    Bytes kcv = crypto.kcv(key, aes ? KcvMethod.GP_AES_ONES : KcvMethod.ENCRYPT_ZEROS, 3).value();
    kcvs.add(kcv.toHex());
    // AES (Amendment D Table 7-10): the block carries the clear length first, 88 11 10 <16> / 88 21 20 <32>.
    Bytes block = aes ? Bytes.concat(Bytes.ofUnsigned(key.algorithm().keyLength()), wrapped) : wrapped;
    return Bytes.concat(Bytes.ofUnsigned(aes ? 0x88 : 0x80), GpCommands.berLength(block.length()), block,
        Bytes.ofUnsigned(kcv.length()), kcv);
  }

  /**
   * Loads a key set with STORE DATA (GP 2.3.1 §11.11.4). A new key version is added next to the card's
   * other key sets (use {@link #deleteKeySet} for the old one once the new keys open the card); the card's
   * own version is replaced. Per key, DGI 00B9 (Table 11-92: a B9 CRT with key
   * usage 95, type 80, length 81, ID 82, version 83, KCV 84) followed by DGI 8113 (the key encrypted with the
   * channel's DEK), one STORE DATA each (P1 {@code 28}: application-dependent encryption, DGI format; the
   * last with b8).
   *
   * @param newKeys the new keys (diversified with the card's KDD)
   * @param newKeyVersion the key version 01..7F
   * @return what the card holds now
   * @throws KeyRotationException saying which key set the card holds
   */
  public KeyRotation storeDataKeys(GpKeys newKeys, int newKeyVersion) {
    requireKvn(newKeyVersion);
    int oldKvn = channel.initializeUpdateResponse().keyVersion();
    List<String> kcvs = new ArrayList<>();
    List<Bytes> blocks = new ArrayList<>();
    try (StaticKeys keys = newKeys.resolve(crypto, channel.initializeUpdateResponse().kdd())) {
      KeyRef[] all = {keys.enc, keys.mac, keys.dek};
      for (int n = 0; n < 3; n++) {
        KeyRef k = all[n];
        boolean aes = k.algorithm().isAes();
        Bytes kcv = crypto.kcv(k, aes ? KcvMethod.GP_AES_ONES : KcvMethod.ENCRYPT_ZEROS, 3).value();
        kcvs.add(kcv.toHex());
        Bytes crt = Bytes.concat(Bytes.ofUnsigned(0x95, 1, KEY_USAGE[n], 0x80, 1, aes ? 0x88 : 0x80, 0x81, 1,
            k.algorithm().keyLength(), 0x82, 1, n + 1, 0x83, 1, newKeyVersion, 0x84, 3), kcv);
        Bytes b9 = Bytes.concat(Bytes.ofUnsigned(0xB9, crt.length()), crt);
        blocks.add(Bytes.concat(Dgi.of(0x00B9, b9).encode(), Dgi.of(0x8113, channel.encryptSensitiveKey(k)).encode()));
      }
    }
    for (int n = 0; n < blocks.size(); n++) {
      boolean last = n == blocks.size() - 1;
      ResponseApdu r;
      try {
        r = channel.transmit(CommandApdu.of(GpCommands.CLA, 0xE2, last ? 0xA8 : 0x28, n, blocks.get(n)));
      } catch (TransportException e) {
        throw new KeyRotationException("STORE DATA key " + (n + 1) + " got no answer",
            KeyRotationException.Holding.UNKNOWN, newKeyVersion, e);
      }
      if (!r.isSuccess()) {
        throw new KeyRotationException("STORE DATA key " + (n + 1) + " refused with " + r.sw().toHex() + " ("
            + r.sw().meaning() + ")", n == 0 ? KeyRotationException.Holding.OLD_KEYS
            : KeyRotationException.Holding.UNKNOWN, n == 0 ? oldKvn : newKeyVersion, null);
      }
    }
    return new KeyRotation(oldKvn, newKeyVersion, List.copyOf(kcvs));
  }

  /**
   * DELETE of a key set (GP 2.3.1 Table 11-24); the card refuses to delete its last one.
   *
   * @param keyVersion the key version to remove
   */
  public void deleteKeySet(int keyVersion) {
    send(String.format("DELETE key set %02X", keyVersion), GpCommands.deleteKeySet(keyVersion));
  }

  private static void requireKvn(int kvn) {
    if (kvn < 1 || kvn > 0x7F) {
      throw new ValidationException("newKeyVersion", "must be 01..7F (GP 2.3.1 §11.8.2.2), was " + kvn);
    }
  }

  /**
   * INSTALL [for install and make selectable] (GP 2.3.1 §11.5.2.3.2).
   *
   * @param loadFile the package AID
   * @param module the applet class AID
   * @param instance the new instance's AID
   * @param privileges 1 or 3 bytes ({@link Privilege#encode}); Card Lock and Card Terminate need
   *     {@link Builder#allowLocking()}
   * @param parameters the application's install parameters (value of tag C9)
   */
  public void install(Bytes loadFile, Bytes module, Bytes instance, Bytes privileges, Bytes parameters) {
    java.util.Set<Privilege> p = Privilege.decode(privileges);
    if (!allowLocking && (p.contains(Privilege.CARD_LOCK) || p.contains(Privilege.CARD_TERMINATE))) {
      throw new ValidationException("privileges", "Card Lock / Card Terminate privileges are only granted when the "
          + "card type allows locking explicitly");
    }
    send("INSTALL [for install and make selectable]",
        GpCommands.installAndMakeSelectable(loadFile, module, instance, privileges, parameters));
  }

  /**
   * INSTALL [for load] then LOAD of the CAP's load file in blocks as large as the channel carries (GP 2.3.1
   * §11.5.2.3.1, §11.6).
   *
   * @param cap the CAP file
   * @param hashAlgorithm a digest name for the load file data block hash ({@code SHA-256}...), or null for none
   * @return the number of LOAD commands sent
   */
  public int load(CapFile cap, String hashAlgorithm) {
    Bytes hash = hashAlgorithm == null ? Bytes.empty() : cap.loadFileDataBlockHash(hashAlgorithm, false);
    send("INSTALL [for load]", GpCommands.installForLoad(cap.packageAid(), Bytes.empty(), hash));
    Bytes file = cap.loadFile(false);
    int room = Math.min(channel.maxCommandData(), 0xF0);
    int blocks = (file.length() + room - 1) / room;
    for (int n = 0; n < blocks; n++) {
      int from = n * room;
      send("LOAD block " + n, GpCommands.load(n, n == blocks - 1, file.slice(from, Math.min(file.length(), from + room))));
    }
    return blocks;
  }

  /**
   * DELETE (GP 2.3.1 §11.2). The ISD is never deleted.
   *
   * @param aid the application or load file
   * @param related true to delete a load file's applications too
   */
  public void delete(Bytes aid, boolean related) {
    if (aid.equals(GpOptions.ISD_AID)) {
      throw new ValidationException("aid", "the Issuer Security Domain cannot be deleted");
    }
    send("DELETE " + aid.toHex(), GpCommands.delete(aid, related));
  }

  /**
   * SET STATUS of the card (GP 2.3.1 §11.10). CARD_LOCKED and TERMINATED need {@link Builder#allowLocking()}.
   *
   * @param state the target state
   */
  public void setCardStatus(CardLifeCycle state) {
    if (state.stopsCard() && !allowLocking) {
      throw new ValidationException("state", state + " takes the card out of use: the card type must allow locking "
          + "explicitly");
    }
    send("SET STATUS card " + state, GpCommands.setCardStatus(state));
  }

  /**
   * SET STATUS of an application or security domain. LOCKED states (b8 set) need {@link Builder#allowLocking()}.
   *
   * @param aid the application
   * @param state the state byte
   */
  public void setApplicationStatus(Bytes aid, int state) {
    if ((state & 0x80) != 0 && !allowLocking) {
      throw new ValidationException("state", String.format("%02X locks the application: the card type must allow "
          + "locking explicitly", state));
    }
    send("SET STATUS " + aid.toHex(), GpCommands.setApplicationStatus(aid, state));
  }

  /**
   * GET STATUS in the TLV format, following 6310 with "get next" (GP 2.3.1 §11.4); 6A88 is an empty list.
   *
   * @param scope what to list
   * @return the entries
   */
  public List<RegistryEntry> status(StatusScope scope) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    boolean next = false;
    for (int guard = 0; guard < 64; guard++) {
      ResponseApdu r = channel.transmit(GpCommands.getStatus(scope, next, true));
      if (r.sw().value() == 0x6A88) {
        break;
      }
      if (!r.isSuccess() && r.sw().value() != 0x6310) {
        throw new CardStatusException("GET STATUS " + scope, r.sw());
      }
      all.writeBytes(r.data().toByteArray());
      if (r.sw().value() != 0x6310) {
        break;
      }
      next = true;
    }
    return RegistryEntry.parseTlv(OwnedBytes.wrap(all.toByteArray()));
  }

  /** @return the card's CPLC (GET DATA 9F7F) */
  public Cplc cplc() {
    return Cplc.parse(send("GET DATA 9F7F", GpCommands.getData(0x9F7F)).data());
  }

  /** @return the ISD's key information template (GET DATA 00E0, GP 2.3.1 §11.3.3.1) */
  public List<KeyInformation> keyInformation() {
    return KeyInformation.parseTemplate(send("GET DATA 00E0", GpCommands.getData(0x00E0)).data());
  }

  private ResponseApdu send(String what, CommandApdu c) {
    ResponseApdu r = channel.transmit(c);
    if (!r.isSuccess()) {
      throw new CardStatusException(what, r.sw());
    }
    return r;
  }

  /** Configures a {@link GpCardManager}. */
  public static final class Builder {
    private final GpSecureChannel channel;
    private final CryptoBackend crypto;
    private boolean allowLocking;

    private Builder(GpSecureChannel channel, CryptoBackend crypto) {
      this.channel = Objects.requireNonNull(channel, "channel");
      this.crypto = Objects.requireNonNull(crypto, "crypto");
    }

    /**
     * Allows the commands that lock or terminate a card or lock an application. Off by default.
     *
     * @return this builder
     */
    public Builder allowLocking() {
      this.allowLocking = true;
      return this;
    }

    /** @return the manager */
    public GpCardManager build() {
      return new GpCardManager(this);
    }
  }

}
