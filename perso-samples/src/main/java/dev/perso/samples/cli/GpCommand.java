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
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.pcsc.PcscCard;
import dev.perso.devices.pcsc.PcscProtocol;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.Sharing;
import dev.perso.gp.CardCryptogram;
import dev.perso.gp.ChallengeStatus;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.InitializeUpdateResponse;
import dev.perso.gp.Scp02;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.Scp03;
import dev.perso.gp.SecurityLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso gp ...}: GlobalPlatform secure channel calculators, which never talk to a card, and
 * {@code perso gp open}, which opens a secure channel on a card in a PC/SC reader.
 *
 * <pre>
 * perso gp diversify --key 404142434445464748494A4B4C4D4E4F --kdd 00010203040506070809 --method emv
 * perso gp session-keys --scp 02 --key 404142434445464748494A4B4C4D4E4F --seq 0001
 * perso gp identify-keys --iu-response HEX --host-challenge HEX --key HEX --key HEX
 * perso gp wrap --key HEX --method emv --host-challenge HEX --iu-response HEX --level 03 --apdu 80E2800003010203
 * perso gp open --reader "ACS ACR39U*" --key 404142434445464748494A4B4C4D4E4F --method emv --level 03
 * </pre>
 */
@Command(name = "gp", description = "GlobalPlatform SCP02/SCP03 calculators: diversification, session keys, "
    + "key identification, offline wrapping (none of them talks to a card); open, which opens a secure "
    + "channel on a card in a PC/SC reader; card management (status, cplc, put-key, install, delete, load, "
    + "set-status) and cap inspect.", mixinStandardHelpOptions = true,
    subcommands = {GpCommand.Diversify.class, GpCommand.SessionKeys.class, GpCommand.IdentifyKeys.class,
        GpCommand.Wrap.class, GpCommand.Open.class, GpManageCommand.Status.class, GpManageCommand.CplcCommand.class,
        GpManageCommand.PutKey.class, GpManageCommand.Install.class, GpManageCommand.Delete.class,
        GpManageCommand.Load.class, GpManageCommand.SetStatus.class, GpManageCommand.Cap.class})
final class GpCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Bytes hex(String field, String value, int... lengths) {
    Bytes b = CryptoCommand.hex(field, value);
    if (lengths.length == 0) {
      return b;
    }
    for (int n : lengths) {
      if (b.length() == n) {
        return b;
      }
    }
    StringBuilder s = new StringBuilder();
    for (int n : lengths) {
      s.append(s.length() == 0 ? "" : " or ").append(n);
    }
    throw new ValidationException(field, "must be " + s + " bytes, was " + b.length());
  }

  static ClearKeyRef key(String field, Bytes b, boolean aes) {
    if (aes && b.length() != 16 && b.length() != 24 && b.length() != 32) {
      throw new ValidationException(field, "an AES key must be 16, 24 or 32 bytes, was " + b.length());
    }
    KeyAlgorithm alg = aes ? KeyAlgorithm.aesForLength(b.length()) : desKey(field, b.length());
    return ClearKeyRef.of(alg, KeyUsage.KMC, b);
  }

  private static KeyAlgorithm desKey(String field, int length) {
    if (length != 16 && length != 24) {
      throw new ValidationException(field, "a 3DES key must be 16 or 24 bytes, was " + length);
    }
    return KeyAlgorithm.desForLength(length);
  }

  /** @return the diversification named by {@code --method}, in any case */
  static Diversification method(String method) {
    try {
      return Diversification.named(method);
    } catch (ValidationException e) {
      throw new ValidationException("--method", e.rule());
    }
  }

  static String kcv(CryptoBackend crypto, KeyRef k) {
    return crypto.kcv(k, k.algorithm().isAes() ? KcvMethod.GP_AES_ONES : KcvMethod.ENCRYPT_ZEROS).hex();
  }

  static String clearHex(KeyRef k) {
    return ((ClearKeyRef) k).toSecretBytes().toHex();
  }

  static String text(Map<String, ?> values) {
    StringBuilder s = new StringBuilder();
    values.forEach((k, v) -> s.append(String.format("%-22s %s%n", k, v)));
    return s.toString();
  }

  @Command(name = "diversify", mixinStandardHelpOptions = true,
      description = "Derive a card's static ENC, MAC and DEK keys from a master key (KMC) and the KDD, with KCVs "
          + "(3DES: ECB of zeros; AES: GP convention, ECB of 01 bytes). With --method none, 16/24-byte keys are 3DES "
          + "and 32-byte keys AES; kdf3 takes AES keys; emv and visa2 take 3DES keys.")
  static final class Diversify implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Option(names = "--key", required = true, paramLabel = "KEY", description = "The master key (KMC): "
        + KeyInput.SYNTAX + ".")
    String key;
    @Option(names = "--kdd", required = true, paramLabel = "HEX20", description = "Key diversification data, 10 bytes.")
    String kdd;
    @Option(names = "--method", required = true, paramLabel = "none|emv|visa2|kdf3", description = "Diversification.")
    String method;

    @Override
    public void run() {
      Diversification d = method(method);
      Bytes kddBytes = hex("--kdd", kdd, 10);
      Bytes raw = KeyInput.read(spec, "--key", key);
      boolean aes = d == Diversification.KDF3 || (d.isNone() && raw.length() == 32);
      try (SoftwareBackend crypto = new SoftwareBackend(); ClearKeyRef kmc = key("--key", raw, aes)) {
        KeyRef[] keys = new KeyRef[3];
        if (d.isNone()) {
          keys[0] = kmc;
          keys[1] = kmc;
          keys[2] = kmc;
        } else {
          Derivation.GpCardKey[] which = Derivation.GpCardKey.values();
          for (int i = 0; i < 3; i++) {
            keys[i] = crypto.derive(kmc, Derivation.gpDiversification(d.method().orElseThrow(), which[i], kddBytes));
          }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enc", clearHex(keys[0]));
        out.put("mac", clearHex(keys[1]));
        out.put("dek", clearHex(keys[2]));
        out.put("kcvEnc", kcv(crypto, keys[0]));
        out.put("kcvMac", kcv(crypto, keys[1]));
        out.put("kcvDek", kcv(crypto, keys[2]));
        if (!d.isNone()) {
          for (KeyRef k : keys) {
            ((ClearKeyRef) k).close();
          }
        }
        output.print(spec.commandLine().getOut(), out, text(out));
      }
    }
  }

  @Command(name = "session-keys", mixinStandardHelpOptions = true,
      description = "Compute session keys from one static key used as ENC, MAC and DEK. SCP02 needs --seq; "
          + "SCP03 needs --host-challenge and --card-challenge.")
  static final class SessionKeys implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Option(names = "--scp", required = true, paramLabel = "02|03", description = "Secure channel protocol.")
    String scp;
    @Option(names = "--key", required = true, paramLabel = "KEY", description = "The static key (ENC = MAC = DEK): "
        + KeyInput.SYNTAX + ".")
    String key;
    @Option(names = "--seq", paramLabel = "HEX4", description = "SCP02 sequence counter, 2 bytes.")
    String seq;
    @Option(names = "--host-challenge", paramLabel = "HEX", description = "SCP03 host challenge, 8 or 16 bytes.")
    String hostChallenge;
    @Option(names = "--card-challenge", paramLabel = "HEX", description = "SCP03 card challenge, 8 or 16 bytes.")
    String cardChallenge;

    @Override
    public void run() {
      Map<String, Object> out = new LinkedHashMap<>();
      try (SoftwareBackend crypto = new SoftwareBackend()) {
        if (scp.equals("02") || scp.equals("2")) {
          if (seq == null) {
            throw new ValidationException("--seq", "SCP02 needs the 2-byte sequence counter");
          }
          Bytes s = hex("--seq", seq, 2);
          try (ClearKeyRef k = key("--key", KeyInput.read(spec, "--key", key), false)) {
            out.put("enc", derived(crypto, k, Derivation.gpScp02(Derivation.Scp02Key.S_ENC, s)));
            out.put("cmac", derived(crypto, k, Derivation.gpScp02(Derivation.Scp02Key.C_MAC, s)));
            out.put("rmac", derived(crypto, k, Derivation.gpScp02(Derivation.Scp02Key.R_MAC, s)));
            out.put("dek", derived(crypto, k, Derivation.gpScp02(Derivation.Scp02Key.DEK, s)));
          }
        } else if (scp.equals("03") || scp.equals("3")) {
          if (hostChallenge == null || cardChallenge == null) {
            throw new ValidationException("--host-challenge", "SCP03 needs --host-challenge and --card-challenge");
          }
          Bytes host = hex("--host-challenge", hostChallenge, 8, 16);
          Bytes card = hex("--card-challenge", cardChallenge, host.length());
          Bytes context = host.concat(card);
          try (ClearKeyRef k = key("--key", KeyInput.read(spec, "--key", key), true)) {
            out.put("enc", derived(crypto, k, Derivation.gpScp03(Derivation.Scp03Key.S_ENC, context)));
            out.put("mac", derived(crypto, k, Derivation.gpScp03(Derivation.Scp03Key.S_MAC, context)));
            out.put("rmac", derived(crypto, k, Derivation.gpScp03(Derivation.Scp03Key.S_RMAC, context)));
          }
        } else {
          throw new ValidationException("--scp", "must be 02 or 03, was " + scp);
        }
      }
      output.print(spec.commandLine().getOut(), out, text(out));
    }

    private static String derived(CryptoBackend crypto, KeyRef k, Derivation d) {
      try (ClearKeyRef s = (ClearKeyRef) crypto.derive(k, d)) {
        return s.toSecretBytes().toHex();
      }
    }
  }

  @Command(name = "identify-keys", mixinStandardHelpOptions = true,
      description = "Find which of the given keys, with which diversification (none, emv, visa2, kdf3), verify the "
          + "card cryptogram of an INITIALIZE UPDATE response. Never talks to a card, so it cannot lock one. "
          + "\"key\" is the 0-based index of --key. For SCP02 (whose card does not state i), \"i\" is 55 when the "
          + "card challenge is the pseudo-random one for the selected AID (--aid, default the ISD A000000151000000), "
          + "otherwise 15 (05 and 45 cannot be told apart offline).")
  static final class IdentifyKeys implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Option(names = "--iu-response", required = true, paramLabel = "HEX",
        description = "The INITIALIZE UPDATE response data, with or without its status word.")
    String iuResponse;
    @Option(names = "--host-challenge", required = true, paramLabel = "HEX", description = "The host challenge sent.")
    String hostChallenge;
    @Option(names = "--key", required = true, paramLabel = "KEY", description = "A candidate key; repeat for more: "
        + KeyInput.SYNTAX + ".")
    List<String> keys;
    @Option(names = "--aid", paramLabel = "HEX", description = "The AID selected before INITIALIZE UPDATE (the "
        + "pseudo-random challenge is the card's MAC over it); default the ISD A000000151000000.")
    String aid;

    @Override
    public void run() {
      InitializeUpdateResponse iu = InitializeUpdateResponse.parse(hex("--iu-response", iuResponse));
      Bytes host = hex("--host-challenge", hostChallenge, iu.scp() == 3 ? iu.cardChallenge().length() : 8);
      List<Map<String, Object>> matches = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      Bytes selected = aid == null ? GpOptions.ISD_AID : hex("--aid", aid);
      List<ClearKeyRef> parsed = new ArrayList<>();
      try (SoftwareBackend crypto = new SoftwareBackend()) {
        List<GpKeys> candidates = new ArrayList<>();
        Map<GpKeys, Integer> keyIndex = new java.util.IdentityHashMap<>();
        Map<GpKeys, Diversification> method = new java.util.IdentityHashMap<>();
        for (int n = 0; n < keys.size(); n++) {
          Bytes raw = KeyInput.read(spec, "--key", keys.get(n));
          boolean fits = iu.scp() == 2 ? raw.length() == 16 || raw.length() == 24
              : raw.length() == 16 || raw.length() == 24 || raw.length() == 32;
          if (!fits) {
            throw new ValidationException("--key", "key " + n + " has " + raw.length() + " bytes, which SCP"
                + iu.scpHex() + " cannot use");
          }
          ClearKeyRef k = key("--key", raw, iu.scp() == 3);
          parsed.add(k);
          for (Diversification d : Diversification.builtIns()) {
            GpKeys candidate = GpKeys.diversified(k, d);
            candidates.add(candidate);
            keyIndex.put(candidate, n);
            method.put(candidate, d);
          }
        }
        // The library's own search: every key x diversification whose card cryptogram verifies.
        for (GpKeys match : CardCryptogram.matching(crypto, candidates, iu, host)) {
          String i = iu.scp() == 3 ? iu.iHex()
              : CardCryptogram.isScp02PseudoRandom(crypto, match, selected, iu) ? "55" : "15";
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("key", keyIndex.get(match));
          m.put("method", method.get(match).name());
          m.put("scp", iu.scpHex());
          m.put("i", i);
          matches.add(m);
          text.append("key #").append(keyIndex.get(match)).append(" with diversification ").append(method.get(match).name())
              .append(": SCP").append(iu.scpHex()).append(" i=").append(i).append(" (card cryptogram verifies)\n");
        }
      } finally {
        parsed.forEach(ClearKeyRef::close);
      }
      if (matches.isEmpty()) {
        text.append("no key/diversification verifies the card cryptogram (KDD ").append(iu.kdd().toHex())
            .append(", key version ").append(String.format("%02X", iu.keyVersion())).append(")\n");
      }
      output.print(spec.commandLine().getOut(), Map.of("matches", matches), text.toString());
    }
  }

  @Command(name = "wrap", mixinStandardHelpOptions = true,
      description = "Offline calculator: from the host challenge and the card's INITIALIZE UPDATE response, print "
          + "EXTERNAL AUTHENTICATE and each APDU wrapped at the level. Give --key [--method] or --enc --mac [--dek].")
  static final class Wrap implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Option(names = "--key", paramLabel = "KEY", description = "One static key, or the KMC with --method: "
        + KeyInput.SYNTAX + ".")
    String key;
    @Option(names = "--method", paramLabel = "none|emv|visa2|kdf3", defaultValue = "none",
        description = "Diversification of --key (default none).")
    String method;
    @Option(names = "--enc", paramLabel = "KEY", description = "Static ENC key (as --key).")
    String enc;
    @Option(names = "--mac", paramLabel = "KEY", description = "Static MAC key (as --key).")
    String mac;
    @Option(names = "--dek", paramLabel = "KEY", description = "Static DEK (as --key).")
    String dek;
    @Option(names = "--host-challenge", required = true, paramLabel = "HEX", description = "The host challenge sent.")
    String hostChallenge;
    @Option(names = "--iu-response", required = true, paramLabel = "HEX",
        description = "The INITIALIZE UPDATE response data, with or without its status word.")
    String iuResponse;
    @Option(names = "--level", required = true, paramLabel = "HEX2", description = "Security level: 00 01 03 10 11 13 33.")
    String level;
    @Option(names = "--i", paramLabel = "HEX2", description = "SCP02 i: 05, 15 (default), 45, 55. SCP03 takes i from the card.")
    String i;
    @Option(names = "--aid", paramLabel = "HEX", defaultValue = "A000000151000000",
        description = "The selected AID, for pseudo-random challenges (default: the ISD AID).")
    String aid;
    @Option(names = "--skip-challenge-check",
        description = "Report a non-conforming pseudo-random card challenge instead of failing.")
    boolean skipChallengeCheck;
    @Option(names = "--apdu", required = true, paramLabel = "HEX", description = "A plain command APDU; repeat for more.")
    List<String> apdus;

    @Override
    public void run() {
      InitializeUpdateResponse iu = InitializeUpdateResponse.parse(hex("--iu-response", iuResponse));
      boolean scp03 = iu.scp() == 3;
      Bytes host = hex("--host-challenge", hostChallenge, scp03 ? iu.cardChallenge().length() : 8);
      SecurityLevel lvl = SecurityLevel.fromP1(hex("--level", level, 1).getUnsigned(0));
      List<CommandApdu> commands = new ArrayList<>();
      for (String a : apdus) {
        commands.add(CommandApdu.parse(hex("--apdu", a)));
      }
      List<ClearKeyRef> opened = new ArrayList<>();
      try (SoftwareBackend crypto = new SoftwareBackend()) {
        GpKeys keys;
        if (key != null) {
          if (enc != null || mac != null || dek != null) {
            throw new ValidationException("--key", "give either --key or --enc/--mac/--dek, not both");
          }
          ClearKeyRef k = key("--key", KeyInput.read(spec, "--key", key), scp03);
          opened.add(k);
          keys = GpKeys.diversified(k, method(method));
        } else {
          if (enc == null || mac == null) {
            throw new ValidationException("--enc", "give --key, or --enc and --mac (and --dek)");
          }
          ClearKeyRef e = key("--enc", KeyInput.read(spec, "--enc", enc), scp03);
          ClearKeyRef m = key("--mac", KeyInput.read(spec, "--mac", mac), scp03);
          ClearKeyRef d = dek == null ? null : key("--dek", KeyInput.read(spec, "--dek", dek), scp03);
          opened.add(e);
          opened.add(m);
          if (d != null) {
            opened.add(d);
          }
          keys = GpKeys.of(e, m, d);
        }
        GpOptions.Builder ob = GpOptions.builder(crypto).level(lvl).hostChallenge(host).aid(hex("--aid", aid))
            .challengeCheck(skipChallengeCheck ? GpOptions.ChallengeCheck.REPORT : GpOptions.ChallengeCheck.VERIFY)
            .scp03Mode(host.length() == 16 ? GpOptions.Scp03Mode.S16 : GpOptions.Scp03Mode.S8);
        if (i != null) {
          int iv = hex("--i", i, 1).getUnsigned(0);
          if (scp03 && iv != iu.i()) {
            throw new ValidationException("--i", "the card states SCP03 i=" + iu.iHex() + ", not " + i);
          }
          if (!scp03) {
            ob.scp02Variant(Scp02Variant.of(iv));
          }
        }
        List<CommandApdu> sent = new ArrayList<>();
        CardChannel offline = c -> {
          sent.add(c);
          return ResponseApdu.of(0x9000);
        };
        GpOptions options = ob.build();
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> wrapped = new ArrayList<>();
        try (GpSecureChannel s = scp03 ? Scp03.authenticate(offline, keys, options, iu)
            : Scp02.authenticate(offline, keys, options, iu)) {
          out.put("externalAuthenticate", sent.get(0).encode().toHex());
          for (CommandApdu c : commands) {
            wrapped.add(s.wrap(c).encode().toHex());
          }
          out.put("apdus", wrapped);
          if (s.challengeStatus() == ChallengeStatus.MISMATCH_IGNORED) {
            out.put("warning", "the card's pseudo-random challenge does not match AID " + aid.toUpperCase()
                + "; check skipped (--skip-challenge-check)");
          }
        }
        StringBuilder text = new StringBuilder();
        text.append("EXTERNAL AUTHENTICATE  ").append(out.get("externalAuthenticate")).append('\n');
        for (int n = 0; n < wrapped.size(); n++) {
          text.append(String.format("APDU %-17d  %s%n", n + 1, wrapped.get(n)));
        }
        if (out.containsKey("warning")) {
          text.append("WARNING: ").append(out.get("warning")).append('\n');
        }
        output.print(spec.commandLine().getOut(), out, text.toString());
      } finally {
        opened.forEach(ClearKeyRef::close);
      }
    }
  }

  @Command(name = "open", mixinStandardHelpOptions = true,
      description = "Open a secure channel on the card in a PC/SC reader and report it: SELECT the AID, "
          + "INITIALIZE UPDATE (the card says SCP02 or SCP03; --key is then read as 3DES or AES), check the card "
          + "cryptogram, EXTERNAL AUTHENTICATE. A wrong key is reported before EXTERNAL AUTHENTICATE is sent, and "
          + "nothing is ever retried, so a card's key set cannot be locked by this command.")
  static final class Open implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Option(names = "--reader", required = true, paramLabel = "NAME",
        description = "The reader: a name prefix, or a glob with * and ?.")
    String reader;
    @Option(names = "--key", required = true, paramLabel = "KEY",
        description = "One static key (ENC = MAC = DEK), or the KMC with --method: " + KeyInput.SYNTAX
            + ". Never printed.")
    String key;
    @Option(names = "--method", paramLabel = "none|emv|visa2|kdf3", defaultValue = "none",
        description = "Diversification of --key (default none).")
    String method;
    @Option(names = "--level", paramLabel = "HEX2", defaultValue = "01",
        description = "Security level: 00 01 03 10 11 13 33 (default 01, C-MAC).")
    String level;
    @Option(names = "--aid", paramLabel = "HEX", defaultValue = "A000000151000000",
        description = "The AID to SELECT first (default: the ISD).")
    String aid;
    @Option(names = "--kvn", paramLabel = "HEX2", defaultValue = "00",
        description = "Key version number for INITIALIZE UPDATE (default 00: the card's default key set).")
    String kvn;
    @Option(names = "--i", paramLabel = "HEX2", description = "SCP02 i: 05, 15, 45 or 55. Default: 55 when the card "
        + "challenge is the pseudo-random one for the AID, otherwise 15. SCP03 takes i from the card.")
    String i;
    @Option(names = "--skip-challenge-check",
        description = "Report a non-conforming pseudo-random card challenge instead of failing.")
    boolean skipChallengeCheck;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    @Override
    public void run() {
      // Everything from the command line is checked before the card is touched.
      SecurityLevel lvl = SecurityLevel.fromP1(hex("--level", level, 1).getUnsigned(0));
      Bytes selected = hex("--aid", aid);
      if (selected.length() < 5 || selected.length() > 16) {
        throw new ValidationException("--aid", "an AID is 5 to 16 bytes, was " + selected.length());
      }
      int keyVersion = hex("--kvn", kvn, 1).getUnsigned(0);
      Diversification d = method(method);
      Integer iValue = i == null ? null : hex("--i", i, 1).getUnsigned(0);
      if (iValue != null) {
        Scp02Variant.of(iValue);
      }
      Bytes keyBytes = KeyInput.read(spec, "--key", key);
      // The card says SCP02 (3DES) or SCP03 (AES) only after INITIALIZE UPDATE: what the key and the method
      // allow is checked here, so that no bad key ever reaches a card.
      if (d == Diversification.KDF3 || keyBytes.length() == 32) {
        if (d == Diversification.EMV_CPS || d == Diversification.VISA2) {
          throw new ValidationException("--key", "--method " + d.name() + " takes a 3DES key (16 or 24 bytes), was "
              + keyBytes.length() + " bytes");
        }
        KeyInput.requireLength("--key", keyBytes, 16, 24, 32);
      } else {
        KeyInput.requireLength("--key", keyBytes, 16, 24);
      }
      byte[] challenge = new byte[8];
      RANDOM.nextBytes(challenge);
      Bytes host = Bytes.of(challenge);

      Map<String, Object> out = new LinkedHashMap<>();
      try (SoftwareBackend crypto = new SoftwareBackend();
          PcscCard card = PcscReaders.system().connect(reader, PcscProtocol.ANY, Sharing.SHARED)) {
        out.put("reader", card.reader());
        CardChannel channel = card.with(GetResponse.auto());
        ResponseApdu select = channel.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, selected, 256));
        if (!select.isSuccess()) {
          throw new CardStatusException("SELECT " + selected.toHex(), select.sw());
        }
        ResponseApdu r = channel.transmit(new CommandApdu(0x80, 0x50, keyVersion, 0x00, host, 256));
        int sw = r.sw().value();
        if (sw == 0x6982 || sw == 0x6983) {
          throw new SecureChannelException("INITIALIZE UPDATE returned " + r.sw().toHex() + " (" + r.sw().meaning()
              + "): the key set is possibly LOCKED. Do not retry.");
        }
        if (!r.isSuccess()) {
          throw new CardStatusException("INITIALIZE UPDATE", r.sw());
        }
        InitializeUpdateResponse iu = InitializeUpdateResponse.parse(r.data());
        boolean scp03 = iu.scp() == 3;
        boolean aesOnly = d == Diversification.KDF3 || keyBytes.length() == 32;
        boolean desOnly = d == Diversification.EMV_CPS || d == Diversification.VISA2;
        if (scp03 ? desOnly : aesOnly) {
          throw new SecureChannelException("the card uses SCP" + iu.scpHex() + ", which cannot use --key with --method "
              + d.name() + " (" + keyBytes.length() + " bytes); nothing was sent after INITIALIZE UPDATE");
        }
        KeyRef k = scp03 ? CryptoCommand.key("--key", keyBytes, "--key", CryptoCommand.AES, KeyUsage.KMC)
            : CryptoCommand.desKey("--key", keyBytes, KeyUsage.KMC);
        try {
          GpKeys keys = GpKeys.diversified(k, d).withKeyVersion(keyVersion);
          GpOptions.Builder ob = GpOptions.builder(crypto).level(lvl).hostChallenge(host).aid(selected)
              .challengeCheck(skipChallengeCheck ? GpOptions.ChallengeCheck.REPORT : GpOptions.ChallengeCheck.VERIFY)
              .scp03Mode(GpOptions.Scp03Mode.S8);
          if (scp03 && iValue != null && iValue != iu.i()) {
            throw new ValidationException("--i", "the card states SCP03 i=" + iu.iHex() + ", not " + i);
          }
          if (!scp03) {
            int variant = iValue != null ? iValue
                : CardCryptogram.isScp02PseudoRandom(crypto, keys, selected, iu) ? 0x55 : 0x15;
            ob.scp02Variant(Scp02Variant.of(variant));
          }
          GpOptions options = ob.build();
          try (GpSecureChannel s = scp03 ? Scp03.authenticate(channel, keys, options, iu)
              : Scp02.authenticate(channel, keys, options, iu)) {
            out.put("aid", selected.toHex());
            out.put("scp", iu.scpHex());
            out.put("i", String.format("%02X", s.i()));
            out.put("level", String.format("%02X", s.level().p1()));
            out.put("kvn", String.format("%02X", iu.keyVersion()));
            out.put("kdd", iu.kdd().toHex());
            out.put("sequenceCounter", iu.sequenceCounter().toHex());
            out.put("diversification", d.name());
            out.put("challenge", s.challengeStatus().name());
            out.put("maxCommandData", s.maxCommandData());
          }
        } finally {
          if (k instanceof ClearKeyRef) {
            ((ClearKeyRef) k).close();
          }
        }
      }
      StringBuilder text = new StringBuilder("secure channel open\n");
      out.forEach((name, v) -> text.append(String.format("  %-16s %s%n", name, v)));
      output.print(spec.commandLine().getOut(), out, text.toString());
    }
  }
}
