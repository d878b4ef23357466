package dev.perso.samples.cli;

import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.emv.cps.ApplicationData;
import dev.perso.emv.cps.ApplicationsSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso cps script}: the exact APDUs that would personalize one card, offline. */
@Command(name = "script", description = "Offline dry run: print the exact APDUs (SELECT through the last STORE "
    + "DATA) that would personalize one card, given the card's INITIALIZE UPDATE response. Never talks to a card. "
    + "The card's profile is the shipped example the data names (vsdc-example, mchip-example, two-app-example) or --profile FILE.")
final class CpsScriptCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "Perso data (JSON Lines or .dgi).")
  Path input;

  @Option(names = "--card", required = true, paramLabel = "ID", description = "The card id.")
  String cardId;

  @Option(names = "--key", required = true, paramLabel = "KEY",
      description = "The KMC (TDES for SCP02, AES for SCP03): " + KeyInput.SYNTAX + ".")
  String key;

  @Mixin
  CpsCommand.LineLimit limit;

  @Option(names = "--method", paramLabel = "emv|visa2|kdf3|none",
      description = "Diversification; default: the profile's.")
  String method;

  @Option(names = "--host-challenge", required = true, paramLabel = "HEX", description = "The host challenge.")
  String hostChallenge;

  @Option(names = "--profile", paramLabel = "FILE", description = "A card profile (JSON) named as in the data. "
      + "Default: the shipped example the data names.")
  Path profileFile;

  @Option(names = "--iu-response", required = true, paramLabel = "HEX",
      description = "The card's INITIALIZE UPDATE response, with or without its status word.")
  String iuResponse;

  @Option(names = "--transport-kek", paramLabel = "KEY",
      description = "The transport KEK the data's sensitive DGIs are under (named as in the file): "
          + KeyInput.SYNTAX + ".")
  String transportKek;

  @Override
  public void run() {
    dev.perso.core.Bytes kmcBytes = KeyInput.read(spec, "--key", key);
    dev.perso.core.Bytes kekBytes = KeyInput.read(spec, "--transport-kek", transportKek);
    CardRecord card = findCard();
    dev.perso.core.Bytes host = CryptoCommand.hex("--host-challenge", hostChallenge);
    // Parsed (with or without its status word) and re-encoded: a malformed response fails here, typed.
    dev.perso.core.Bytes iuData = dev.perso.gp.InitializeUpdateResponse.parse(
        CryptoCommand.hex("--iu-response", iuResponse)).encode();
    List<ApplicationData> applications = ApplicationsSection.decode(card);
    dev.perso.emv.cps.CardProfile profile = CpsCommand.profileFor(applications.get(0).profile(),
        profileFile == null ? null : dev.perso.emv.cps.CardProfile.load(profileFile));
    if (method != null) {
      dev.perso.emv.cps.SecureChannelProfile sc = profile.secureChannel();
      profile = profile.newBuilder().secureChannel(sc.withDiversification(method)).build();
    }
    boolean aes = profile.secureChannel().version().aes();
    try (dev.perso.crypto.CryptoBackend crypto = new dev.perso.crypto.SoftwareBackend()) {
      // The keys this command parsed are wiped when it ends (CryptoCommand.closeKeys, below).
      dev.perso.crypto.KeyRef kmc = aes
          ? CryptoCommand.key("--key", kmcBytes, "--key", CryptoCommand.AES, dev.perso.crypto.KeyUsage.KMC)
          : CryptoCommand.desKey("--key", kmcBytes, dev.perso.crypto.KeyUsage.KMC);
      dev.perso.emv.cps.CpsPersonalizer.Builder b = dev.perso.emv.cps.CpsPersonalizer.builder(crypto)
          .profile(profile, kmc).hostChallenge(host);
      if (kekBytes != null) {
        dev.perso.crypto.KeyRef kek = CryptoCommand.desKey("--transport-kek", kekBytes, dev.perso.crypto.KeyUsage.KEK);
        applications.forEach(a -> a.dgis().forEach(d -> d.transportKey().ifPresent(n -> b.transportKey(n, kek))));
      }
      List<String> apdus = new ArrayList<>();
      // A recording card: OK to everything, the given INITIALIZE UPDATE response to INITIALIZE UPDATE.
      dev.perso.core.channel.CardChannel recorder = c -> {
        apdus.add(c.encode().toHex());
        return c.ins() == 0x50 ? dev.perso.core.apdu.ResponseApdu.of(iuData, 0x9000)
            : dev.perso.core.apdu.ResponseApdu.of(0x9000);
      };
      b.build().personalize(recorder, card.id(), applications);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("apdus", apdus);
      output.print(spec.commandLine().getOut(), json, String.join("\n", apdus));
    } finally {
      CryptoCommand.closeKeys();
    }
  }

  private CardRecord findCard() {
    try (RecordSource source = CpsCommand.open(input, limit.bytes())) {
      while (source.hasNext()) {
        RecordInput in = source.next();
        if (in instanceof RecordInput.Read read && read.record().id().equals(cardId)) {
          return read.record();
        }
        if (in instanceof RecordInput.Rejected r && r.cardId().equals(cardId)) {
          throw r.reason();
        }
      }
    }
    throw new dev.perso.core.ValidationException("--card", "no card '" + cardId + "' in " + input.getFileName());
  }
}
