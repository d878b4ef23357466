package dev.perso.gp.card;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.tlv.Tlv;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.emv.cps.Dgi;
import dev.perso.gp.CardLifeCycle;
import dev.perso.gp.Cplc;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.KeyInformation;
import dev.perso.gp.RegistryEntry;
import dev.perso.gp.StatusScope;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The card side of GlobalPlatform card management for virtual cards: the Issuer Security Domain's
 * registry (card life cycle, load files, applications), its key sets (through the {@link ScpCard}) and its
 * CPLC. It answers the plain commands an {@link ScpCard} has unwrapped, with the rules that protect a card:
 *
 * <ul>
 *   <li>PUT KEY (GP 2.3.1 §11.8.2.3.3): the replaced key version must exist (P1), an added one must not;
 *       a replaced set keeps its key type and length; every KCV is checked ({@code 6982} on a mismatch);</li>
 *   <li>STORE DATA key loading (§11.11.4): DGI 00B9 (Table 11-92) then 8113 per key;</li>
 *   <li>INSTALL [for load], [for install], [make selectable] (§11.5), LOAD (§11.6) with the load file data
 *       block hash checked when given, DELETE (§11.2; the ISD never, a load file with instances only with
 *       P2 80);</li>
 *   <li>SET STATUS (§11.10, §5.1): only the card life-cycle transitions of §5.1.1, application lock and unlock,
 *       the ISD to PERSONALIZED; GET STATUS (§11.4) in TLV and legacy format with 6310 paging; GET DATA
 *       9F7F (CPLC) and 00E0 (key information, §11.3.3.1).</li>
 * </ul>
 * Everything but GET DATA needs an authenticated channel ({@code 6982}); a CARD_LOCKED or TERMINATED card
 * refuses content changes ({@code 6985}). Not thread-safe: the virtual card serializes commands.
 *
 * <pre>{@code
 * VirtualIsd isd = VirtualIsd.builder(crypto).cardLifeCycle(CardLifeCycle.INITIALIZED).build();
 * ScpCard card = ScpCard.builder(crypto, keys).application(isd::process).build();
 * isd.attach(card);
 * }</pre>
 */
public final class VirtualIsd {
  /** Privileges of the ISD as GET STATUS reports them (SD, card lock/terminate/reset, CVM, global ...). */
  static final Bytes ISD_PRIVILEGES = Bytes.fromHex("9EFE80");

  private final CryptoBackend crypto;
  private final Bytes aid;
  /**
   * The CPLC a virtual ISD answers with unless told otherwise: kaoh/globalplatform's {@code getDataTest.c
   * test_parse_cplc_vector_1} (IC serial number 34295220).
   */
  public static final Cplc EXAMPLE_CPLC = new Cplc(Bytes.fromHex(
      "4790D6004700000000003244342952208448000000000000000015278234323935320000000000000000"));

  private final Cplc cplc;
  private final Consumer<Event> listener;
  private ScpCard scp;
  private CardLifeCycle cardState;
  private int isdState = 0x07;
  private final Map<Bytes, RegistryEntry> loadFiles = new LinkedHashMap<>();
  private final Map<Bytes, App> apps = new LinkedHashMap<>();
  private final List<String> history = new ArrayList<>();
  private PendingLoad pendingLoad;
  private PendingKeys pendingKeys;
  private List<Bytes> statusPages;

  /** What the ISD did, for a card built around it (EMV applications) and for tests. */
  public record Event(Kind kind, Bytes aid, int state) {
    /** Event kinds. */
    public enum Kind {
      /** An application was instantiated (state 03 or 07). */
      INSTALLED,
      /** An application was deleted. */
      DELETED,
      /** An application's state changed. */
      STATE
    }
  }

  private static final class App {
    final Bytes loadFile;
    final Bytes privileges;
    int state;
    int beforeLock;

    App(Bytes loadFile, Bytes privileges, int state) {
      this.loadFile = loadFile;
      this.privileges = privileges;
      this.state = state;
    }
  }

  private static final class PendingLoad {
    final Bytes aid;
    final Bytes hash;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    int nextBlock;

    PendingLoad(Bytes aid, Bytes hash) {
      this.aid = aid;
      this.hash = hash;
    }
  }

  private static final class PendingKeys {
    final Map<Integer, ClearKeyRef> keys = new LinkedHashMap<>();
    int keyVersion = -1;
    int nextBlock;
    Map<Integer, Integer> crt;
    Bytes kcv;
  }

  private VirtualIsd(Builder b) {
    this.crypto = b.crypto;
    this.aid = b.aid;
    this.cplc = b.cplc;
    this.cardState = b.cardState;
    this.listener = b.listener;
    b.loadFiles.forEach((a, mods) -> loadFiles.put(a, RegistryEntry.loadFile(a, mods)));
    b.apps.forEach((a, elf) -> apps.put(a, new App(elf, Bytes.fromHex("000000"), 0x07)));
  }

  /**
   * @param crypto the backend the card computes KCVs with
   * @return a builder: ISD A000000151000000, card INITIALIZED, an example CPLC
   */
  public static Builder builder(CryptoBackend crypto) {
    return new Builder(crypto);
  }

  /**
   * Connects the ISD to the secure channel it answers behind (for key sets and sensitive data).
   *
   * @param card the card side of the secure channel
   */
  public void attach(ScpCard card) {
    this.scp = Objects.requireNonNull(card, "card");
  }

  /** @return the ISD's AID */
  public Bytes aid() {
    return aid;
  }

  /** @return the card life-cycle state */
  public CardLifeCycle cardLifeCycle() {
    return cardState;
  }

  /** @return the key versions the card holds (the default first) */
  public List<Integer> keyVersions() {
    return scp.keyVersions();
  }

  /**
   * @param app an application's AID
   * @return its life-cycle byte, or empty if it is not installed
   */
  public Optional<Integer> applicationState(Bytes app) {
    return Optional.ofNullable(apps.get(app)).map(a -> a.state);
  }

  /**
   * An application moving itself to an application-specific state (GP 2.3.1 Table 11-4, e.g. 0F once an
   * EMV application is personalized).
   *
   * @param app the application
   * @param state the state byte, of the form 0xxxx111
   */
  public void applicationState(Bytes app, int state) {
    App a = apps.get(app);
    if (a == null || (state & 0x87) != 0x07) {
      throw new dev.perso.core.ValidationException("state", "an application-specific state is 0xxxx111 of an "
          + "installed application");
    }
    a.state = state;
    history.add(String.format("%s set itself to %02X", app.toHex(), state));
  }

  /** @return the load files' AIDs */
  public List<Bytes> loadFiles() {
    return List.copyOf(loadFiles.keySet());
  }

  /** @return one line per command that changed the card, in order (no key values) */
  public List<String> history() {
    return List.copyOf(history);
  }

  /**
   * Whether a plain command is card management for the ISD (the caller routes it here when the ISD is
   * selected).
   *
   * @param c the plain command
   * @return true for PUT KEY, INSTALL other than [for personalization], LOAD, DELETE, SET/GET STATUS, GET DATA
   *     9F7F/00E0 and STORE DATA while no application is the personalization target
   */
  public static boolean handles(CommandApdu c) {
    if ((c.cla() & 0x80) == 0) {
      return false;
    }
    switch (c.ins()) {
      case 0xD8: case 0xE8: case 0xE4: case 0xF0: case 0xF2: return true;
      case 0xE6: return c.p1() != 0x20;
      case 0xCA: return (c.p1() == 0x9F && c.p2() == 0x7F) || (c.p1() == 0x00 && c.p2() == 0xE0);
      default: return false;
    }
  }

  /**
   * Answers one plain command addressed to the ISD.
   *
   * @param c the command as the secure channel unwrapped it
   * @return the response
   */
  public ResponseApdu process(CommandApdu c) {
    try {
      if (c.ins() == 0xCA) {
        return getData(c);
      }
      if (scp == null || scp.level().isEmpty()) {
        return ResponseApdu.of(0x6982);
      }
      if (cardState == CardLifeCycle.TERMINATED) {
        return ResponseApdu.of(0x6985);
      }
      switch (c.ins()) {
        case 0xF2: return getStatus(c);
        case 0xF0: return setStatus(c);
        default: break;
      }
      if (cardState == CardLifeCycle.CARD_LOCKED) {
        return ResponseApdu.of(0x6985);
      }
      switch (c.ins()) {
        case 0xD8: return putKey(c);
        case 0xE2: return storeDataKeys(c);
        case 0xE6: return install(c);
        case 0xE8: return load(c);
        case 0xE4: return delete(c);
        default: return ResponseApdu.of(0x6D00);
      }
    } catch (PersoException | IndexOutOfBoundsException e) {
      return ResponseApdu.of(0x6A80);
    }
  }

  // ---- GET DATA (§11.3) ----

  private ResponseApdu getData(CommandApdu c) {
    if (c.p1() == 0x9F) {
      return ResponseApdu.of(cplc.encode(), 0x9000);
    }
    if (scp == null) {
      return ResponseApdu.of(0x6A88);
    }
    List<KeyInformation> info = new ArrayList<>();
    for (int kvn : scp.keyVersions()) {
      KeyAlgorithm alg = scp.keyAlgorithm(kvn).orElseThrow();
      for (int id = 1; id <= 3; id++) {
        info.add(new KeyInformation(id, kvn, List.of(new KeyInformation.Component(alg.isAes() ? 0x88 : 0x80,
            alg.keyLength()))));
      }
    }
    return ResponseApdu.of(KeyInformation.encodeTemplate(info), 0x9000);
  }

  // ---- PUT KEY (§11.8) ----

  private ResponseApdu putKey(CommandApdu c) {
    if ((c.p1() & 0x80) != 0 || c.p2() != 0x81) {
      return ResponseApdu.of(0x6A86); // chained PUT KEYs and single-key replacement are not supported here
    }
    int oldKvn = c.p1() & 0x7F;
    Bytes d = c.data();
    int newKvn = d.getUnsigned(0);
    if (newKvn < 1 || newKvn > 0x7F) {
      return ResponseApdu.of(0x6A80);
    }
    Optional<ResponseApdu> versionProblem = checkVersions(oldKvn, newKvn);
    if (versionProblem.isPresent()) {
      return versionProblem.get();
    }
    List<ClearKeyRef> keys = new ArrayList<>();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    answer.write(newKvn);
    try {
      int p = 1;
      for (int n = 0; n < 3; n++) {
        int type = d.getUnsigned(p);
        int len = d.getUnsigned(p + 1);
        p += 2;
        if (len == 0x81) {
          len = d.getUnsigned(p++);
        } else if (len > 0x80) {
          return ResponseApdu.of(0x6A80);
        }
        Bytes block = d.slice(p, p + len);
        p += len;
        int kcvLen = d.getUnsigned(p);
        Bytes kcv = d.slice(p + 1, p + 1 + kcvLen);
        p += 1 + kcvLen;
        int bs = scp.version().blockSize();
        int clearLen = block.length();
        Bytes cipher = block;
        if (block.length() % bs != 0) { // §11.8.2.3.3: the first byte is the clear key length
          clearLen = block.getUnsigned(0);
          cipher = block.slice(1);
        }
        ClearKeyRef key = unwrapKey(type, clearLen, cipher, n);
        if (key == null) {
          return ResponseApdu.of(0x6A80);
        }
        keys.add(key);
        if (kcvLen != 3 || !kcv(key).equals(kcv)) {
          return ResponseApdu.of(0x6982);
        }
        answer.writeBytes(kcv.toByteArray());
      }
      if (p != d.length()) {
        return ResponseApdu.of(0x6A80);
      }
      Optional<ResponseApdu> typeProblem = install(oldKvn, newKvn, keys, "PUT KEY");
      if (typeProblem.isPresent()) {
        return typeProblem.get();
      }
      keys.clear();
      return ResponseApdu.of(OwnedBytes.wrap(answer.toByteArray()), 0x9000);
    } finally {
      keys.forEach(ClearKeyRef::close);
    }
  }

  private Optional<ResponseApdu> checkVersions(int oldKvn, int newKvn) {
    List<Integer> held = scp.keyVersions();
    if (oldKvn == 0 && held.contains(newKvn)) {
      return Optional.of(ResponseApdu.of(0x6A80)); // add: the new version must be free
    }
    if (oldKvn != 0 && !held.contains(oldKvn)) {
      return Optional.of(ResponseApdu.of(0x6A88)); // replace: the key set must exist
    }
    if (oldKvn != 0 && newKvn != oldKvn && held.contains(newKvn)) {
      return Optional.of(ResponseApdu.of(0x6A80));
    }
    return Optional.empty();
  }

  /** Decrypts one key with the session's sensitive-data key; null if the type/length is not one we take. */
  private ClearKeyRef unwrapKey(int type, int clearLen, Bytes cipher, int index) {
    boolean aes = type == 0x88;
    if (!aes && type != 0x80) {
      return null;
    }
    if (aes ? clearLen != 16 && clearLen != 24 && clearLen != 32 : clearLen != 16 && clearLen != 24) {
      return null;
    }
    if (cipher.length() < clearLen) {
      return null;
    }
    Bytes clear = scp.decryptSensitiveData(cipher);
    KeyAlgorithm alg = aes ? KeyAlgorithm.aesForLength(clearLen) : KeyAlgorithm.desForLength(clearLen);
    KeyUsage usage = index == 0 ? KeyUsage.ENC : index == 1 ? KeyUsage.MAC : KeyUsage.DEK;
    return ClearKeyRef.of(alg, usage, clear.slice(0, clearLen));
  }

  private Bytes kcv(ClearKeyRef key) {
    return crypto.kcv(key, key.algorithm().isAes() ? KcvMethod.GP_AES_ONES : KcvMethod.ENCRYPT_ZEROS, 3).value();
  }

  /** A replaced key set keeps its type and length (§11.8.2.3.3); the SCP's cipher must match. */
  private Optional<ResponseApdu> install(int oldKvn, int newKvn, List<ClearKeyRef> keys, String how) {
    KeyAlgorithm alg = keys.get(0).algorithm();
    if (keys.stream().anyMatch(k -> k.algorithm() != alg) || alg.isAes() != scp.version().aes()) {
      return Optional.of(ResponseApdu.of(0x6A80));
    }
    if (oldKvn != 0 && scp.keyAlgorithm(oldKvn).orElseThrow() != alg) {
      return Optional.of(ResponseApdu.of(0x6A80));
    }
    scp.putKeySet(oldKvn, newKvn, GpKeys.of(keys.get(0), keys.get(1), keys.get(2)).withLabel(
        String.format("keys KVN %02X", newKvn)));
    history.add(oldKvn == 0 ? String.format("%s: key set %02X added", how, newKvn)
        : String.format("%s: key set %02X replaced by %02X", how, oldKvn, newKvn));
    return Optional.empty();
  }

  // ---- STORE DATA key loading (§11.11.4) ----

  private ResponseApdu storeDataKeys(CommandApdu c) {
    if ((c.p1() & 0x18) != 0x08) {
      return ResponseApdu.of(0x6A86); // the ISD takes DGI-format key loading only
    }
    if (c.p2() == 0) {
      discardPendingKeys();
      pendingKeys = new PendingKeys();
    }
    PendingKeys pk = pendingKeys;
    if (pk == null || c.p2() != pk.nextBlock) {
      discardPendingKeys();
      return ResponseApdu.of(0x6A86);
    }
    pk.nextBlock++;
    for (Dgi dgi : Dgi.parseAll(c.data())) {
      if (dgi.id() == 0x00B9) {
        if (pk.crt != null) {
          return abortKeys(0x6A80); // 8113 must follow its 00B9
        }
        Tlv b9 = Tlv.parse(dgi.value());
        if (b9.tag().value() != 0xB9 || !b9.isConstructed()) {
          return abortKeys(0x6A80);
        }
        Map<Integer, Integer> crt = new LinkedHashMap<>();
        for (Tlv t : b9.children()) {
          int tag = t.tag().value();
          if (tag == 0x84) {
            pk.kcv = t.value();
          } else if (tag == 0x95 || tag == 0x96 || (tag >= 0x80 && tag <= 0x83)) {
            crt.put(tag, t.value().length() == 2 ? (t.value().getUnsigned(0) << 8) | t.value().getUnsigned(1)
                : t.value().getUnsigned(0));
          }
        }
        for (int mandatory : new int[] {0x95, 0x80, 0x81, 0x82, 0x83}) { // Table 11-92
          if (!crt.containsKey(mandatory) || pk.kcv == null) {
            return abortKeys(0x6A80);
          }
        }
        if (pk.keyVersion >= 0 && pk.keyVersion != crt.get(0x83)) {
          return abortKeys(0x6A80); // one key set per loading
        }
        pk.keyVersion = crt.get(0x83);
        pk.crt = crt;
      } else if (dgi.id() == 0x8113) {
        if (pk.crt == null) {
          return abortKeys(0x6A80);
        }
        int id = pk.crt.get(0x82);
        if (id < 1 || id > 3 || pk.keys.containsKey(id)) {
          return abortKeys(0x6A80);
        }
        ClearKeyRef key = unwrapKey(pk.crt.get(0x80), pk.crt.get(0x81), dgi.value(), id - 1);
        if (key == null) {
          return abortKeys(0x6A80);
        }
        pk.keys.put(id, key);
        if (!kcv(key).equals(pk.kcv)) {
          return abortKeys(0x6982);
        }
        pk.crt = null;
        pk.kcv = null;
      } else {
        return abortKeys(0x6A88);
      }
    }
    if ((c.p1() & 0x80) != 0) {
      if (pk.crt != null || pk.keys.size() != 3) {
        return abortKeys(0x6A80);
      }
      // §11.11.4: a key version the card holds is replaced, a new one is added (DELETE removes the old set)
      int kvn = pk.keyVersion;
      int old = scp.keyVersions().contains(kvn) ? kvn : 0;
      List<ClearKeyRef> keys = List.of(pk.keys.get(1), pk.keys.get(2), pk.keys.get(3));
      Optional<ResponseApdu> problem = install(old, kvn, keys, "STORE DATA");
      if (problem.isPresent()) {
        return abortKeys(problem.get().sw().value());
      }
      pendingKeys = null;
    }
    return ResponseApdu.of(0x9000);
  }

  private ResponseApdu abortKeys(int sw) {
    discardPendingKeys();
    return ResponseApdu.of(sw);
  }

  private void discardPendingKeys() {
    if (pendingKeys != null) {
      pendingKeys.keys.values().forEach(ClearKeyRef::close);
      pendingKeys = null;
    }
  }

  // ---- INSTALL (§11.5), LOAD (§11.6), DELETE (§11.2) ----

  private ResponseApdu install(CommandApdu c) {
    Bytes d = c.data();
    int[] p = {0};
    List<Bytes> fields = new ArrayList<>();
    while (p[0] < d.length()) {
      fields.add(lv(d, p));
    }
    // Table 11-42 ([for load]) has five fields, Tables 11-43/11-44 six; the last is the token, empty here
    if (p[0] != d.length() || fields.size() != (c.p1() == 0x02 ? 5 : 6) || !fields.get(fields.size() - 1).isEmpty()) {
      return ResponseApdu.of(0x6A80);
    }
    Bytes f1 = fields.get(0);
    Bytes f2 = fields.get(1);
    Bytes f3 = fields.get(2);
    Bytes f4 = fields.get(3);
    Bytes f5 = fields.get(4);
    switch (c.p1()) {
      case 0x02: { // [for load]: ELF AID, SD AID, hash, load parameters, token
        if (loadFiles.containsKey(f1) || (!f2.isEmpty() && !f2.equals(aid)) || f1.length() < 5) {
          return ResponseApdu.of(0x6A80);
        }
        pendingLoad = new PendingLoad(f1, f3);
        return ResponseApdu.of(Bytes.ofUnsigned(0), 0x9000);
      }
      case 0x04:
      case 0x0C: { // [for install] (and make selectable): ELF, module, instance, privileges, parameters
        RegistryEntry elf = loadFiles.get(f1);
        if (elf == null || !elf.modules().contains(f2)) {
          return ResponseApdu.of(0x6A88);
        }
        if (f3.length() < 5 || f3.length() > 16 || apps.containsKey(f3) || f3.equals(aid)
            || (f4.length() != 1 && f4.length() != 3) || f5.length() < 2 || f5.getUnsigned(0) != 0xC9) {
          return ResponseApdu.of(0x6A80);
        }
        int state = c.p1() == 0x0C ? 0x07 : 0x03;
        Bytes privileges = f4.length() == 3 ? f4 : Bytes.concat(f4, Bytes.fromHex("0000"));
        apps.put(f3, new App(f1, privileges, state));
        history.add("INSTALL " + f3.toHex() + " from " + f1.toHex() + String.format(" state %02X", state));
        listener.accept(new Event(Event.Kind.INSTALLED, f3, state));
        return ResponseApdu.of(Bytes.ofUnsigned(0), 0x9000);
      }
      case 0x08: { // [make selectable]
        App app = apps.get(f3);
        if (app == null) {
          return ResponseApdu.of(0x6A88);
        }
        if (app.state != 0x03) {
          return ResponseApdu.of(0x6985);
        }
        app.state = 0x07;
        history.add("INSTALL make selectable " + f3.toHex());
        listener.accept(new Event(Event.Kind.STATE, f3, 0x07));
        return ResponseApdu.of(Bytes.ofUnsigned(0), 0x9000);
      }
      default:
        return ResponseApdu.of(0x6A86);
    }
  }

  private static Bytes lv(Bytes d, int[] p) {
    int len = d.getUnsigned(p[0]);
    int start = p[0] + 1;
    if (len == 0x81) {
      len = d.getUnsigned(start);
      start++;
    } else if (len == 0x82) {
      len = (d.getUnsigned(start) << 8) | d.getUnsigned(start + 1);
      start += 2;
    }
    Bytes v = d.slice(start, start + len);
    p[0] = start + len;
    return v;
  }

  private ResponseApdu load(CommandApdu c) {
    PendingLoad pl = pendingLoad;
    if (pl == null) {
      return ResponseApdu.of(0x6985);
    }
    if (c.p2() != pl.nextBlock) {
      pendingLoad = null;
      return ResponseApdu.of(0x6A86);
    }
    pl.nextBlock++;
    pl.data.writeBytes(c.data().toByteArray());
    if ((c.p1() & 0x80) == 0) {
      return ResponseApdu.of(Bytes.ofUnsigned(0), 0x9000);
    }
    pendingLoad = null;
    Bytes file = OwnedBytes.wrap(pl.data.toByteArray());
    int[] p = {1};
    if (file.getUnsigned(0) != 0xC4) {
      return ResponseApdu.of(0x6A80);
    }
    Bytes lfdb = lv(file, p);
    if (p[0] != file.length()) {
      return ResponseApdu.of(0x6A80);
    }
    if (!pl.hash.isEmpty() && !pl.hash.equals(digest(pl.hash.length(), lfdb))) {
      return ResponseApdu.of(0x6A80);
    }
    Bytes packageAid = null;
    List<Bytes> modules = new ArrayList<>();
    for (int q = 0; q < lfdb.length(); ) { // component stream: tag(1) size(2) info
      int tag = lfdb.getUnsigned(q);
      int size = (lfdb.getUnsigned(q + 1) << 8) | lfdb.getUnsigned(q + 2);
      Bytes info = lfdb.slice(q + 3, q + 3 + size);
      if (tag == 1) { // Header: magic(4) minor major flags, package minor major AID_len AID
        packageAid = info.slice(10, 10 + info.getUnsigned(9));
      } else if (tag == 3) { // Applet: count {AID_len AID offset(2)}
        for (int a = 0, r = 1; a < info.getUnsigned(0); a++) {
          int len = info.getUnsigned(r);
          modules.add(info.slice(r + 1, r + 1 + len));
          r += 3 + len;
        }
      }
      q += 3 + size;
    }
    if (packageAid == null || !packageAid.equals(pl.aid)) {
      return ResponseApdu.of(0x6A80);
    }
    loadFiles.put(pl.aid, RegistryEntry.loadFile(pl.aid, modules));
    history.add("LOAD " + pl.aid.toHex() + " with " + modules.size() + " applet(s)");
    return ResponseApdu.of(Bytes.ofUnsigned(0), 0x9000);
  }

  private static Bytes digest(int length, Bytes data) {
    String alg = length == 20 ? "SHA-1" : length == 32 ? "SHA-256" : length == 48 ? "SHA-384" : "SHA-512";
    try {
      return OwnedBytes.wrap(MessageDigest.getInstance(alg).digest(data.toByteArray()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private ResponseApdu delete(CommandApdu c) {
    List<Tlv> tlvs = Tlv.parseAll(c.data());
    Optional<Tlv> kvnTag = tlvs.stream().filter(x -> x.tag().value() == 0xD2).findFirst();
    if (kvnTag.isPresent()) { // Table 11-24: delete the keys of one key version
      int kvn = kvnTag.get().value().getUnsigned(0);
      if (!scp.keyVersions().contains(kvn)) {
        return ResponseApdu.of(0x6A88);
      }
      if (scp.keyVersions().size() == 1) {
        return ResponseApdu.of(0x6985); // never the card's last key set: nothing could open the ISD again
      }
      scp.removeKeySet(kvn);
      history.add(String.format("DELETE key set %02X", kvn));
      return ResponseApdu.of(Bytes.ofUnsigned(0), 0x9000);
    }
    Optional<Tlv> t = tlvs.stream().filter(x -> x.tag().value() == 0x4F).findFirst();
    if (t.isEmpty()) {
      return ResponseApdu.of(0x6A80);
    }
    Bytes target = t.get().value();
    if (target.equals(aid)) {
      return ResponseApdu.of(0x6985); // the Issuer Security Domain is never deleted
    }
    if (apps.containsKey(target)) {
      removeApp(target);
      return ResponseApdu.of(Bytes.ofUnsigned(0), 0x9000);
    }
    if (loadFiles.containsKey(target)) {
      List<Bytes> instances = new ArrayList<>();
      apps.forEach((a, app) -> {
        if (app.loadFile.equals(target)) {
          instances.add(a);
        }
      });
      if (!instances.isEmpty() && c.p2() != 0x80) {
        return ResponseApdu.of(0x6985); // instances exist: only "object and related objects" removes them
      }
      instances.forEach(this::removeApp);
      loadFiles.remove(target);
      history.add("DELETE load file " + target.toHex());
      return ResponseApdu.of(Bytes.ofUnsigned(0), 0x9000);
    }
    return ResponseApdu.of(0x6A88);
  }

  private void removeApp(Bytes app) {
    apps.remove(app);
    history.add("DELETE " + app.toHex());
    listener.accept(new Event(Event.Kind.DELETED, app, 0));
  }

  // ---- SET STATUS (§11.10) and GET STATUS (§11.4) ----

  private ResponseApdu setStatus(CommandApdu c) {
    int target = c.p2();
    if (c.p1() == 0x80) {
      CardLifeCycle next;
      try {
        next = CardLifeCycle.of(target);
      } catch (PersoException e) {
        return ResponseApdu.of(0x6A80);
      }
      if (!cardState.canMoveTo(next)) {
        return ResponseApdu.of(0x6985);
      }
      history.add("SET STATUS card " + cardState + " -> " + next);
      cardState = next;
      return ResponseApdu.of(0x9000);
    }
    if (c.p1() != 0x40) {
      return ResponseApdu.of(0x6A86);
    }
    Bytes who = c.data();
    if (who.equals(aid)) { // the ISD itself: PERSONALIZED (irreversible) only, §11.1.1 Table 11-5
      if (target != 0x0F || isdState != 0x07) {
        return ResponseApdu.of(0x6985);
      }
      isdState = 0x0F;
      history.add("SET STATUS ISD PERSONALIZED");
      return ResponseApdu.of(0x9000);
    }
    App app = apps.get(who);
    if (app == null) {
      return ResponseApdu.of(0x6A88);
    }
    boolean locked = (app.state & 0x80) != 0;
    // An SD acting on an application uses b8 only: 1 lock, 0 unlock back to the previous state (Fig. 5-2).
    if ((target & 0x80) != 0) {
      if (locked) {
        return ResponseApdu.of(0x6985);
      }
      app.beforeLock = app.state;
      app.state = 0x80 | app.state | 0x03;
    } else {
      if (!locked) {
        return ResponseApdu.of(0x6985);
      }
      app.state = app.beforeLock;
    }
    history.add(String.format("SET STATUS %s -> %02X", who.toHex(), app.state));
    listener.accept(new Event(Event.Kind.STATE, who, app.state));
    return ResponseApdu.of(0x9000);
  }

  private ResponseApdu getStatus(CommandApdu c) {
    StatusScope scope = StatusScope.ofP1(c.p1());
    boolean tlv = (c.p2() & 0x02) != 0;
    boolean next = (c.p2() & 0x01) != 0;
    if (scope == null || (c.p2() & ~0x03) != 0 || (next && (scope == StatusScope.ISD || statusPages == null))) {
      return ResponseApdu.of(0x6A86);
    }
    if (!next) {
      List<Tlv> criteria = Tlv.parseAll(c.data());
      Optional<Tlv> f4 = criteria.stream().filter(x -> x.tag().value() == 0x4F).findFirst();
      if (f4.isEmpty()) {
        return ResponseApdu.of(0x6A80);
      }
      Bytes prefix = f4.get().value();
      List<RegistryEntry> found = new ArrayList<>();
      for (RegistryEntry e : entries(scope)) {
        if (e.aid().startsWith(prefix)) {
          found.add(e);
        }
      }
      if (found.isEmpty()) {
        statusPages = null;
        return ResponseApdu.of(0x6A88);
      }
      statusPages = paginate(found, scope, tlv);
    }
    Bytes page = statusPages.remove(0);
    boolean more = !statusPages.isEmpty();
    if (!more) {
      statusPages = null;
    }
    return ResponseApdu.of(page, more ? 0x6310 : 0x9000);
  }

  private List<RegistryEntry> entries(StatusScope scope) {
    List<RegistryEntry> out = new ArrayList<>();
    switch (scope) {
      case ISD:
        out.add(RegistryEntry.application(aid, cardState.code(), ISD_PRIVILEGES));
        break;
      case APPLICATIONS:
        apps.forEach((a, app) -> out.add(new RegistryEntry(a, app.state, app.privileges, Optional.of(app.loadFile),
            Optional.empty(), List.of(), Optional.of(aid))));
        break;
      case LOAD_FILES:
        loadFiles.values().forEach(e -> out.add(RegistryEntry.loadFile(e.aid(), List.of())));
        break;
      default:
        out.addAll(loadFiles.values());
        break;
    }
    return out;
  }

  /** Whole entries per answer, at most 240 bytes each, the rest after 6310 (§11.4.3). */
  private static List<Bytes> paginate(List<RegistryEntry> found, StatusScope scope, boolean tlv) {
    List<Bytes> pages = new ArrayList<>();
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    for (RegistryEntry e : found) {
      Bytes one = tlv ? e.toTlv().encode() : RegistryEntry.encodeLegacy(List.of(e), scope);
      if (page.size() > 0 && page.size() + one.length() > 240) {
        pages.add(OwnedBytes.wrap(page.toByteArray()));
        page.reset();
      }
      page.writeBytes(one.toByteArray());
    }
    pages.add(OwnedBytes.wrap(page.toByteArray()));
    return pages;
  }

  /** Configures a {@link VirtualIsd}. */
  public static final class Builder {
    private final CryptoBackend crypto;
    private Bytes aid = GpOptions.ISD_AID;
    private CardLifeCycle cardState = CardLifeCycle.INITIALIZED;
    private Cplc cplc = EXAMPLE_CPLC;
    private Consumer<Event> listener = e -> { };
    private final Map<Bytes, List<Bytes>> loadFiles = new LinkedHashMap<>();
    private final Map<Bytes, Bytes> apps = new LinkedHashMap<>();

    private Builder(CryptoBackend crypto) {
      this.crypto = Objects.requireNonNull(crypto, "crypto");
    }

    /** @param value the ISD's AID @return this builder */
    public Builder aid(Bytes value) {
      this.aid = Objects.requireNonNull(value, "aid");
      return this;
    }

    /** @param value the card's state at the start @return this builder */
    public Builder cardLifeCycle(CardLifeCycle value) {
      this.cardState = Objects.requireNonNull(value, "cardLifeCycle");
      return this;
    }

    /** @param value the card's CPLC @return this builder */
    public Builder cplc(Cplc value) {
      this.cplc = Objects.requireNonNull(value, "cplc");
      return this;
    }

    /**
     * A load file already on the card (ROM or loaded at the factory).
     *
     * @param packageAid its AID
     * @param modules its applet class AIDs
     * @return this builder
     */
    public Builder loadFile(Bytes packageAid, List<Bytes> modules) {
      loadFiles.put(packageAid, List.copyOf(modules));
      return this;
    }

    /**
     * An application already instantiated and SELECTABLE.
     *
     * @param instance its AID
     * @param loadFile its load file's AID
     * @return this builder
     */
    public Builder application(Bytes instance, Bytes loadFile) {
      apps.put(instance, loadFile);
      return this;
    }

    /** @param value told about installs, deletes and state changes @return this builder */
    public Builder listener(Consumer<Event> value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** @return the ISD (call {@link VirtualIsd#attach} with its {@link ScpCard}) */
    public VirtualIsd build() {
      return new VirtualIsd(this);
    }
  }
}
