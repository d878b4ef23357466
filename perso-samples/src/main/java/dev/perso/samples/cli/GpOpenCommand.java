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
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.InitializeUpdateResponse;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.ScpVersion;
import dev.perso.gp.SecurityLevel;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso gp open}: opens a secure channel on a card in a PC/SC reader. */
@Command(name = "open", mixinStandardHelpOptions = true,
    description = "Open a secure channel on the card in a PC/SC reader and report it: SELECT the AID, "
        + "INITIALIZE UPDATE (the card says SCP02 or SCP03; --key is then read as 3DES or AES), check the card "
        + "cryptogram, EXTERNAL AUTHENTICATE. A wrong key is reported before EXTERNAL AUTHENTICATE is sent, and "
        + "nothing is ever retried, so a card's key set cannot be locked by this command.")
final class GpOpenCommand implements Runnable {
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
    SecurityLevel lvl = SecurityLevel.fromP1(GpCommand.hex("--level", level, 1).getUnsigned(0));
    Bytes selected = GpCommand.hex("--aid", aid);
    if (selected.length() < 5 || selected.length() > 16) {
      throw new ValidationException("--aid", "an AID is 5 to 16 bytes, was " + selected.length());
    }
    int keyVersion = GpCommand.hex("--kvn", kvn, 1).getUnsigned(0);
    Diversification d = GpCommand.method(method);
    Integer iValue = i == null ? null : GpCommand.hex("--i", i, 1).getUnsigned(0);
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
      // the protocol decides the key's cipher; SCP02's "i" is not on the wire and does not matter here
      boolean aes = iu.version(Scp02Variant.I_15).aes();
      boolean aesOnly = d == Diversification.KDF3 || keyBytes.length() == 32;
      boolean desOnly = d == Diversification.EMV_CPS || d == Diversification.VISA2;
      if (aes ? desOnly : aesOnly) {
        throw new SecureChannelException("the card uses SCP" + iu.scpHex() + ", which cannot use --key with --method "
            + d.name() + " (" + keyBytes.length() + " bytes); nothing was sent after INITIALIZE UPDATE");
      }
      KeyRef k = aes ? CryptoCommand.key("--key", keyBytes, "--key", CryptoCommand.AES, KeyUsage.KMC)
          : CryptoCommand.desKey("--key", keyBytes, KeyUsage.KMC);
      try {
        GpKeys keys = GpKeys.diversified(k, d).withKeyVersion(keyVersion);
        GpOptions.Builder ob = GpOptions.builder(crypto).level(lvl).hostChallenge(host).aid(selected)
            .challengeCheck(skipChallengeCheck ? GpOptions.ChallengeCheck.REPORT : GpOptions.ChallengeCheck.VERIFY)
            .scp03Mode(GpOptions.Scp03Mode.S8);
        ScpVersion v = GpCommand.version(iu, iValue, crypto, keys, selected);
        GpOptions options = v.configure(ob).build();
        try (GpSecureChannel s = v.authenticate(channel, keys, options, iu)) {
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
