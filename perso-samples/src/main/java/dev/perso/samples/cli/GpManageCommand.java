package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.SecureChannelException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.pcsc.PcscCard;
import dev.perso.devices.pcsc.PcscProtocol;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.Sharing;
import dev.perso.gp.CapFile;
import dev.perso.gp.CardLifeCycle;
import dev.perso.gp.Cplc;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpCardManager;
import dev.perso.gp.GpCommands;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.InitializeUpdateResponse;
import dev.perso.gp.KeyInformation;
import dev.perso.gp.RegistryEntry;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.ScpVersion;
import dev.perso.gp.SecurityLevel;
import dev.perso.gp.StatusScope;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso gp status|cplc|put-key|install|delete|load|set-status --reader ...}: GlobalPlatform card
 * management of the card in a PC/SC reader through its Issuer Security Domain, and {@code perso gp cap
 * inspect FILE} offline. Keys come from files, the environment or the terminal ({@link KeyInput}); nothing
 * that can lock or terminate a card is sent without {@code --allow-locking}.
 *
 * <pre>
 * perso gp status --reader "ACS*" --key env:TRANSPORT_KMC --method emv
 * perso gp put-key --reader "ACS*" --key env:TRANSPORT_KMC --method emv --new-key file:issuer.kmc --new-kvn 02
 * perso gp set-status --reader "ACS*" --key env:ISSUER_KMC --method emv --kvn 02 --card SECURED
 * perso gp cap inspect wallet.cap
 * </pre>
 */
final class GpManageCommand {
  private GpManageCommand() {}

  /** The card and how to open the ISD's secure channel. */
  static final class CardOptions {
    @Option(names = "--reader", required = true, paramLabel = "NAME",
        description = "The reader: a name prefix, or a glob with * and ?.")
    String reader;
    @Option(names = "--key", required = true, paramLabel = "KEY",
        description = "The ISD key (ENC = MAC = DEK), or the KMC with --method: " + KeyInput.SYNTAX + ". Never printed.")
    String key;
    @Option(names = "--method", paramLabel = "none|emv|visa2|kdf3", defaultValue = "none",
        description = "Diversification of --key (default none).")
    String method;
    @Option(names = "--kvn", paramLabel = "HEX2", defaultValue = "00",
        description = "Key version for INITIALIZE UPDATE (default 00: the card's default key set).")
    String kvn;
    @Option(names = "--level", paramLabel = "HEX2", defaultValue = "03",
        description = "Security level: 01 C-MAC, 03 C-MAC + C-DEC (default), 13, 33.")
    String level;
  }

  /** Everything from the command line is read and checked before the card is touched. */
  static final class Opened implements AutoCloseable {
    final SoftwareBackend crypto = new SoftwareBackend();
    final PcscCard card;
    final GpSecureChannel isd;
    final KeyRef key;

    Opened(CommandSpec spec, CardOptions o) {
      SecurityLevel lvl = SecurityLevel.fromP1(GpCommand.hex("--level", o.level, 1).getUnsigned(0));
      int keyVersion = GpCommand.hex("--kvn", o.kvn, 1).getUnsigned(0);
      Diversification d = GpCommand.method(o.method);
      Bytes keyBytes = KeyInput.read(spec, "--key", o.key);
      KeyInput.requireLength("--key", keyBytes, 16, 24, 32);
      byte[] challenge = new byte[8];
      new SecureRandom().nextBytes(challenge);
      Bytes host = Bytes.of(challenge);
      card = PcscReaders.system().connect(o.reader, PcscProtocol.ANY, Sharing.SHARED);
      KeyRef k = null;
      try {
        CardChannel channel = card.with(GetResponse.auto());
        channel.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, GpOptions.ISD_AID, 256)).requireSuccess("SELECT ISD");
        ResponseApdu r = channel.transmit(new CommandApdu(0x80, 0x50, keyVersion, 0x00, host, 256));
        if (r.sw().value() == 0x6982 || r.sw().value() == 0x6983) {
          throw new SecureChannelException("INITIALIZE UPDATE returned " + r.sw().toHex() + ": the key set is possibly "
              + "LOCKED. Do not retry.");
        }
        if (!r.isSuccess()) {
          throw new CardStatusException("INITIALIZE UPDATE", r.sw());
        }
        InitializeUpdateResponse iu = InitializeUpdateResponse.parse(r.data());
        // the protocol decides the key's cipher; SCP02's "i" is not on the wire and does not matter here
        k = iu.version(Scp02Variant.I_15).aes()
            ? CryptoCommand.key("--key", keyBytes, "--key", CryptoCommand.AES, KeyUsage.KMC)
            : CryptoCommand.desKey("--key", keyBytes, KeyUsage.KMC);
        GpKeys keys = GpKeys.diversified(k, d).withKeyVersion(keyVersion);
        ScpVersion v = GpCommand.version(iu, null, crypto, keys, GpOptions.ISD_AID);
        isd = v.authenticate(channel, keys, v.configure(GpOptions.builder(crypto).level(lvl).hostChallenge(host)).build(),
            iu);
        key = k;
      } catch (RuntimeException e) {
        if (k instanceof ClearKeyRef) {
          ((ClearKeyRef) k).close();
        }
        card.close();
        crypto.close();
        throw e;
      }
    }

    GpCardManager manager(boolean allowLocking) {
      GpCardManager.Builder b = GpCardManager.builder(isd, crypto);
      return allowLocking ? b.allowLocking().build() : b.build();
    }

    @Override
    public void close() {
      try {
        isd.close();
      } finally {
        if (key instanceof ClearKeyRef) {
          ((ClearKeyRef) key).close();
        }
        card.close();
        crypto.close();
      }
    }
  }

  static void print(CommandSpec spec, OutputOptions output, Map<String, Object> out) {
    output.print(spec.commandLine().getOut(), out, GpCommand.text(out));
  }

  static Bytes aid(String option, String value) {
    Bytes b = GpCommand.hex(option, value);
    if (b.length() < 5 || b.length() > 16) {
      throw new ValidationException(option, "an AID is 5 to 16 bytes, was " + b.length());
    }
    return b;
  }

  static Map<String, Object> entry(RegistryEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("aid", e.aid().toHex());
    m.put("lifeCycle", String.format("%02X", e.lifeCycle()));
    if (!e.privileges().isEmpty()) {
      m.put("privileges", e.privileges().toHex());
    }
    e.loadFile().ifPresent(a -> m.put("loadFile", a.toHex()));
    if (!e.modules().isEmpty()) {
      m.put("modules", e.modules().stream().map(Bytes::toHex).toList());
    }
    return m;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "GET STATUS of the ISD, applications and "
      + "load files (TLV format, following 6310), plus the key information template.")
  static final class Status implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;

    @Override
    public void run() {
      Map<String, Object> out = new LinkedHashMap<>();
      try (Opened o = new Opened(spec, card)) {
        GpCardManager gp = o.manager(false);
        RegistryEntry isd = gp.status(StatusScope.ISD).get(0);
        out.put("isd", isd.aid().toHex());
        out.put("cardLifeCycle", lifeCycleName(isd.lifeCycle()));
        out.put("keyVersion", String.format("%02X", o.isd.initializeUpdateResponse().keyVersion()));
        out.put("keys", gp.keyInformation().stream().map(KeyInformation::toString).toList());
        out.put("applications", gp.status(StatusScope.APPLICATIONS).stream().map(GpManageCommand::entry).toList());
        out.put("loadFiles", gp.status(StatusScope.LOAD_FILES_AND_MODULES).stream().map(GpManageCommand::entry).toList());
      }
      print(spec, output, out);
    }
  }

  static String lifeCycleName(int code) {
    try {
      return CardLifeCycle.of(code).name();
    } catch (ValidationException e) {
      return String.format("%02X", code);
    }
  }

  @Command(name = "cplc", mixinStandardHelpOptions = true, description = "GET DATA 9F7F: the card production life "
      + "cycle data, decoded (no secure channel is opened).")
  static final class CplcCommand implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Option(names = "--reader", required = true, paramLabel = "NAME", description = "The reader.")
    String reader;

    @Override
    public void run() {
      Map<String, Object> out = new LinkedHashMap<>();
      try (PcscCard card = PcscReaders.system().connect(reader, PcscProtocol.ANY, Sharing.SHARED)) {
        CardChannel channel = card.with(GetResponse.auto());
        channel.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, GpOptions.ISD_AID, 256)).requireSuccess("SELECT ISD");
        Cplc cplc = Cplc.parse(channel.transmit(GpCommands.getData(0x9F7F)).requireSuccess("GET DATA 9F7F").data());
        cplc.fields().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        java.time.LocalDate today = java.time.LocalDate.now();
        cplc.date(Cplc.Field.IC_FABRICATION_DATE, today).ifPresent(dt -> out.put("ic_fabrication_date_decoded", dt.toString()));
      }
      print(spec, output, out);
    }
  }

  @Command(name = "put-key", mixinStandardHelpOptions = true, description = "Replace the key set the channel was "
      + "opened with by new keys (PUT KEY, or --store-data for GP 2.3 DGIs 00B9/8113), diversified from --new-key with "
      + "the card's KDD; the card's key check values are checked.")
  static final class PutKey implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Option(names = "--new-key", required = true, paramLabel = "KEY", description = "The new key or KMC: "
        + KeyInput.SYNTAX + ".")
    String newKey;
    @Option(names = "--new-method", paramLabel = "none|emv|visa2|kdf3", defaultValue = "none",
        description = "Diversification of --new-key (default none).")
    String newMethod;
    @Option(names = "--new-kvn", required = true, paramLabel = "HEX2", description = "The new key version, 01..7F.")
    String newKvn;
    @Option(names = "--store-data", description = "Load the keys with STORE DATA (GP 2.3.1 §11.11.4) instead of PUT KEY.")
    boolean storeData;

    @Override
    public void run() {
      int kvn = GpCommand.hex("--new-kvn", newKvn, 1).getUnsigned(0);
      Diversification d = GpCommand.method(newMethod);
      Bytes raw = KeyInput.read(spec, "--new-key", newKey);
      KeyInput.requireLength("--new-key", raw, 16, 24, 32);
      Map<String, Object> out = new LinkedHashMap<>();
      try (Opened o = new Opened(spec, card)) {
        boolean aes = o.isd.version().aes();
        KeyRef k = aes ? CryptoCommand.key("--new-key", raw, "--new-key", CryptoCommand.AES, KeyUsage.KMC)
            : CryptoCommand.desKey("--new-key", raw, KeyUsage.KMC);
        try {
          GpKeys keys = GpKeys.diversified(k, d);
          GpCardManager gp = o.manager(false);
          GpCardManager.KeyRotation r = storeData ? gp.storeDataKeys(keys, kvn) : gp.putKeys(keys, kvn);
          out.put("oldKeyVersion", String.format("%02X", r.oldKeyVersion()));
          out.put("newKeyVersion", String.format("%02X", r.newKeyVersion()));
          out.put("kcvs", r.kcvs());
          out.put("method", storeData ? "STORE DATA" : "PUT KEY");
        } finally {
          if (k instanceof ClearKeyRef) {
            ((ClearKeyRef) k).close();
          }
        }
      }
      print(spec, output, out);
    }
  }

  @Command(name = "install", mixinStandardHelpOptions = true, description = "INSTALL [for install and make selectable] "
      + "an applet from a loaded package.")
  static final class Install implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Option(names = "--package", required = true, paramLabel = "AID", description = "The load file (package) AID.")
    String pkg;
    @Option(names = "--applet", required = true, paramLabel = "AID", description = "The applet class (module) AID.")
    String applet;
    @Option(names = "--instance", paramLabel = "AID", description = "The instance AID (default: the applet AID).")
    String instance;
    @Option(names = "--privileges", paramLabel = "HEX", defaultValue = "000000", description = "1 or 3 bytes (default 000000).")
    String privileges;
    @Option(names = "--params", paramLabel = "HEX", defaultValue = "", description = "Install parameters (value of C9).")
    String params;
    @Option(names = "--allow-locking", description = "Allow granting Card Lock / Card Terminate.")
    boolean allowLocking;

    @Override
    public void run() {
      Bytes p = aid("--package", pkg);
      Bytes a = aid("--applet", applet);
      Bytes i = instance == null ? a : aid("--instance", instance);
      Bytes priv = GpCommand.hex("--privileges", privileges, 1, 3);
      Bytes par = params.isEmpty() ? Bytes.empty() : GpCommand.hex("--params", params);
      Map<String, Object> out = new LinkedHashMap<>();
      try (Opened o = new Opened(spec, card)) {
        o.manager(allowLocking).install(p, a, i, priv, par);
        out.put("installed", i.toHex());
        out.put("package", p.toHex());
      }
      print(spec, output, out);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "DELETE an application or load file "
      + "(never the ISD).")
  static final class Delete implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Parameters(index = "0", paramLabel = "AID", description = "The application or load file.")
    String target;
    @Option(names = "--related", description = "Also delete a load file's applications (P2 80).")
    boolean related;

    @Override
    public void run() {
      Bytes a = aid("AID", target);
      Map<String, Object> out = new LinkedHashMap<>();
      try (Opened o = new Opened(spec, card)) {
        o.manager(false).delete(a, related);
        out.put("deleted", a.toHex());
      }
      print(spec, output, out);
    }
  }

  @Command(name = "load", mixinStandardHelpOptions = true, description = "INSTALL [for load] and LOAD a CAP file.")
  static final class Load implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Parameters(index = "0", paramLabel = "FILE", description = "The CAP file.")
    Path file;
    @Option(names = "--hash", paramLabel = "none|sha-1|sha-256|sha-384|sha-512", defaultValue = "none",
        description = "Load file data block hash in INSTALL [for load] (default none).")
    String hash;

    @Override
    public void run() {
      String alg = switch (hash.toLowerCase(Locale.ROOT)) {
        case "none" -> null;
        case "sha-1", "sha-256", "sha-384", "sha-512" -> hash.toUpperCase(Locale.ROOT);
        default -> throw new ValidationException("--hash", "must be none, sha-1, sha-256, sha-384 or sha-512");
      };
      CapFile cap = CapFile.read(file);
      Map<String, Object> out = new LinkedHashMap<>();
      try (Opened o = new Opened(spec, card)) {
        out.put("blocks", o.manager(false).load(cap, alg));
        out.put("package", cap.packageAid().toHex());
        out.put("applets", cap.applets().stream().map(Bytes::toHex).toList());
      }
      print(spec, output, out);
    }
  }

  @Command(name = "set-status", mixinStandardHelpOptions = true, description = "SET STATUS of the card (--card) or of "
      + "an application (--app with --state). CARD_LOCKED, TERMINATED and application LOCKED need --allow-locking.")
  static final class SetStatus implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Option(names = "--card", paramLabel = "STATE", description = "INITIALIZED, SECURED, CARD_LOCKED, TERMINATED.")
    String cardState;
    @Option(names = "--app", paramLabel = "AID", description = "The application.")
    String app;
    @Option(names = "--state", paramLabel = "HEX2", description = "The application's state byte (80 lock, 00 unlock).")
    String state;
    @Option(names = "--allow-locking", description = "Allow states that lock or terminate.")
    boolean allowLocking;

    @Override
    public void run() {
      if ((cardState == null) == (app == null) || (app != null) != (state != null)) {
        throw new ValidationException("--card", "give either --card STATE, or --app AID with --state HEX2");
      }
      CardLifeCycle target = cardState == null ? null : CardLifeCycle.named(cardState);
      Bytes a = app == null ? null : aid("--app", app);
      int s = state == null ? 0 : GpCommand.hex("--state", state, 1).getUnsigned(0);
      if (!allowLocking && ((target != null && target.stopsCard()) || (a != null && (s & 0x80) != 0))) {
        throw new ValidationException("--allow-locking", "the requested state locks or terminates: add --allow-locking");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      try (Opened o = new Opened(spec, card)) {
        GpCardManager gp = o.manager(allowLocking);
        if (target != null) {
          gp.setCardStatus(target);
          out.put("cardLifeCycle", target.name());
        } else {
          gp.setApplicationStatus(a, s);
          out.put("application", a.toHex());
          out.put("state", String.format("%02X", s));
        }
      }
      print(spec, output, out);
    }
  }

  @Command(name = "cap", mixinStandardHelpOptions = true, description = "CAP file tools (offline).",
      subcommands = {Inspect.class})
  static final class Cap implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Parse a CAP file: package, applets, "
      + "imports, components in load order, load file data block size and hashes.")
  static final class Inspect implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Parameters(index = "0", paramLabel = "FILE", description = "The CAP file.")
    Path file;

    @Override
    public void run() {
      CapFile cap = CapFile.read(file);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("package", cap.packagePath().replace('/', '.'));
      out.put("packageAid", cap.packageAid().toHex());
      out.put("packageVersion", cap.packageVersion());
      out.put("capFormat", cap.formatVersion());
      out.put("applets", cap.applets().stream().map(Bytes::toHex).toList());
      List<String> imports = new ArrayList<>();
      cap.imports().forEach(i -> imports.add(i.aid().toHex() + " v" + i.major() + "." + i.minor()));
      out.put("imports", imports);
      List<String> comps = new ArrayList<>();
      BiConsumer<CapFile.Component, Bytes> add = (c, b) -> comps.add(c.fileName() + " " + (b.length() - 3));
      CapFile.LOAD_ORDER.forEach(c -> {
        if (cap.components().containsKey(c)) {
          add.accept(c, cap.components().get(c));
        }
      });
      out.put("components", comps);
      out.put("loadFileDataBlockSize", cap.loadFileDataBlock(false).length());
      out.put("sha256", cap.loadFileDataBlockHash("SHA-256", false).toHex());
      out.put("sha1", cap.loadFileDataBlockHash("SHA-1", false).toHex());
      print(spec, output, out);
    }
  }
}
