package dev.perso.gp;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.SecureChannelException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.CryptoBackend;
import dev.perso.gp.internal.HostChannel;
import dev.perso.gp.internal.Scp02Session;
import dev.perso.gp.internal.Scp03Session;
import dev.perso.gp.internal.ScpSession;
import dev.perso.gp.internal.StaticKeys;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** INITIALIZE UPDATE, card cryptogram check, EXTERNAL AUTHENTICATE: shared by SCP02 and SCP03. */
final class Opener {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NO_RETRY = "EXTERNAL AUTHENTICATE was not sent. Do not retry with the same keys: "
      + "cards block a key set after repeated failed authentications.";

  private Opener() {}

  /**
   * @param requested what the host asks for: SCP02 with the configured variant, or SCP03 in the configured
   *     mode (S8 or S16; the card states the rest of its "i" in its answer)
   */
  static GpSecureChannel open(ScpVersion requested, CardChannel channel, GpKeys keys, GpOptions options) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(options, "options");
    requested.requireLevel(options.level());
    int challengeLength = requested.hostChallengeLength();
    Bytes hostChallenge = options.hostChallenge().orElseGet(() -> {
      byte[] b = new byte[challengeLength];
      RANDOM.nextBytes(b);
      return OwnedBytes.wrap(b);
    });
    if (hostChallenge.length() != challengeLength) {
      throw new ValidationException("hostChallenge", "must be " + challengeLength + " bytes for SCP0"
          + requested.number() + (requested instanceof ScpVersion.Scp03Protocol ? " " + options.scp03Mode() : ""));
    }
    ResponseApdu r = channel.transmit(new CommandApdu(0x80, 0x50, keys.keyVersion(), 0x00, hostChallenge, 256));
    int sw = r.sw().value();
    if (sw == 0x6982 || sw == 0x6983) {
      throw new SecureChannelException("INITIALIZE UPDATE returned " + r.sw().toHex() + ": the key set "
          + kvnText(keys.keyVersion()) + " is possibly LOCKED (too many failed authentications). Do not retry.");
    }
    if (sw == 0x6A88) {
      throw new SecureChannelException("INITIALIZE UPDATE returned 6A88: the card has no key set "
          + kvnText(keys.keyVersion()));
    }
    if (!r.isSuccess()) {
      throw new CardStatusException("INITIALIZE UPDATE", r.sw());
    }
    InitializeUpdateResponse iu = InitializeUpdateResponse.parse(r.data());
    return authenticate(requested, channel, keys, options, hostChallenge, iu);
  }

  /** SCP03 as the host asks for it before the card answers: S8 or S16 from the options. */
  static ScpVersion scp03(GpOptions options) {
    return new ScpVersion.Scp03Protocol(options.scp03Mode() == GpOptions.Scp03Mode.S16 ? 0x01 : 0x00);
  }

  static GpSecureChannel authenticate(ScpVersion requested, CardChannel channel, GpKeys keys, GpOptions options,
      Bytes hostChallenge, InitializeUpdateResponse iu) {
    requested.requireLevel(options.level());
    if (iu.scp() != requested.number()) {
      throw new SecureChannelException("the card answered INITIALIZE UPDATE for SCP" + iu.scpHex() + ", not SCP0"
          + requested.number() + "; use Scp" + iu.scpHex() + ".open");
    }
    if (keys.keyVersion() != 0 && iu.keyVersion() != keys.keyVersion()) {
      throw new SecureChannelException("asked for key version " + kvnText(keys.keyVersion()) + " but the card used "
          + kvnText(iu.keyVersion()));
    }
    // The protocol in force, parsed once: SCP03 with the "i" the card states, SCP02 with the host's variant.
    ScpVersion version = requested instanceof ScpVersion.Scp03Protocol ? checkScp03(iu.i(), options, hostChallenge)
        : iu.version(options.scp02Variant());
    CryptoBackend crypto = options.crypto();
    StaticKeys resolved = keys.resolve(crypto, iu.kdd());
    ScpSession session = null;
    try {
      ChallengeStatus challenge = ChallengeStatus.RANDOM;
      Bytes expected;
      CommandApdu ea;
      if (version instanceof ScpVersion.Scp02Protocol scp02) {
        Scp02Session s = Scp02Session.derive(crypto, resolved.enc, resolved.mac, resolved.dek, iu.sequenceCounter(),
            scp02.variant(), options.emptyDataEncryption());
        session = s;
        expected = s.cardCryptogram(hostChallenge, iu.sequenceCounter(), iu.cardChallenge());
        requireMatch(expected, version, keys, options, hostChallenge, iu);
        if (scp02.pseudoRandomChallenge()) {
          challenge = checkChallenge(s.pseudoRandomChallenge(options.aid()), iu.cardChallenge(), options);
        }
        ea = s.externalAuthenticate(options.level(), s.hostCryptogram(hostChallenge, iu.sequenceCounter(),
            iu.cardChallenge()));
      } else {
        ScpVersion.Scp03Protocol scp03 = (ScpVersion.Scp03Protocol) version;
        Scp03Session s = Scp03Session.derive(crypto, resolved.enc, resolved.mac, resolved.dek, hostChallenge,
            iu.cardChallenge(), scp03.s16(), options.counterIncrement(), options.emptyDataEncryption());
        session = s;
        expected = s.cardCryptogram(hostChallenge, iu.cardChallenge());
        requireMatch(expected, version, keys, options, hostChallenge, iu);
        if (scp03.pseudoRandomChallenge()) {
          challenge = checkChallenge(Scp03Session.pseudoRandomChallenge(crypto, resolved.enc, iu.sequenceCounter(),
              options.aid(), scp03.s16()), iu.cardChallenge(), options);
        }
        ea = s.externalAuthenticate(options.level(), s.hostCryptogram(hostChallenge, iu.cardChallenge()));
      }
      ResponseApdu r = channel.transmit(ea);
      if (!r.isSuccess()) {
        throw new SecureChannelException("EXTERNAL AUTHENTICATE returned " + r.sw().toHex() + " ("
            + r.sw().meaning() + "): the card rejected the host cryptogram or its MAC although the card cryptogram "
            + "matched. Do not retry: cards block a key set after repeated failed authentications.");
      }
      session.authenticated(options.level());
      return new HostChannel(channel, session, resolved, iu, version.i(), challenge);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      resolved.close();
      throw e;
    }
  }

  private static void requireMatch(Bytes expected, ScpVersion version, GpKeys keys, GpOptions options, Bytes hostChallenge,
      InitializeUpdateResponse iu) {
    if (expected.constantTimeEquals(iu.cardCryptogram())) {
      return;
    }
    List<String> matching = new ArrayList<>();
    List<String> otherVersions = new ArrayList<>();
    for (GpKeys alt : options.alternatives()) {
      if (alt.keyVersion() != 0 && alt.keyVersion() != iu.keyVersion()) {
        // the card answered with the keys of its version: another version needs another INITIALIZE UPDATE
        otherVersions.add(alt.label() + " (key version " + kvnText(alt.keyVersion()) + ")");
      } else if (CardCryptogram.verifies(options.crypto(), alt, iu, hostChallenge)) {
        matching.add(alt.label() + " (diversification " + alt.diversification().name()
            + (alt.keyVersion() == 0 ? "" : ", key version " + kvnText(alt.keyVersion())) + ")");
      }
    }
    String alternatives = options.alternatives().isEmpty() ? "no alternatives were configured"
        : matching.isEmpty() ? "none of the " + (options.alternatives().size() - otherVersions.size())
            + " alternatives for this key version match"
        : "would match: " + matching.stream().collect(Collectors.joining(", "));
    if (!otherVersions.isEmpty()) {
      alternatives += "; not checked, other key versions need their own INITIALIZE UPDATE: "
          + String.join(", ", otherVersions);
    }
    throw new SecureChannelException("card cryptogram invalid: " + keys.label() + " (diversification "
        + keys.diversification().name() + ") does not match this card (SCP0" + version.number() + ", KDD " + iu.kdd().toHex()
        + ", key version " + kvnText(iu.keyVersion()) + "); " + alternatives + ". " + NO_RETRY);
  }

  private static ChallengeStatus checkChallenge(Bytes expected, Bytes actual, GpOptions options) {
    if (expected.slice(0, actual.length()).constantTimeEquals(actual)) {
      return ChallengeStatus.VERIFIED;
    }
    if (options.challengeCheck() == GpOptions.ChallengeCheck.REPORT) {
      return ChallengeStatus.MISMATCH_IGNORED;
    }
    throw new SecureChannelException("the card's pseudo-random challenge does not match the one computed for AID "
        + options.aid().toHex() + " (wrong AID, or a non-conforming card: see ChallengeCheck.REPORT). " + NO_RETRY);
  }

  /** @return the card's SCP03 "i" as a protocol, once it is one this SDK implements and fits the host's options */
  private static ScpVersion.Scp03Protocol checkScp03(int i, GpOptions options, Bytes hostChallenge) {
    ScpVersion.Scp03Protocol scp03;
    try {
      scp03 = new ScpVersion.Scp03Protocol(i);
    } catch (ValidationException e) {
      throw new SecureChannelException("the card states SCP03 i=" + String.format("%02X", i)
          + ", which this SDK does not implement (00, 10, 20, 30, 60, 70, each optionally with S16 bit 01)");
    }
    boolean s16 = scp03.s16();
    if (s16 != (hostChallenge.length() == 16)) {
      throw new SecureChannelException("the card uses SCP03 " + (s16 ? "S16" : "S8") + " but the host sent a "
          + hostChallenge.length() + "-byte challenge; set GpOptions.scp03Mode(" + (s16 ? "S16" : "S8") + ")");
    }
    SecurityLevel level = options.level();
    if (level.rMac() && !scp03.rMac()) {
      throw new SecureChannelException("level " + level + " needs R-MAC, which the card's i="
          + String.format("%02X", i) + " does not support");
    }
    if (level.rEncryption() && !scp03.rEncryption()) {
      throw new SecureChannelException("level " + level + " needs R-ENCRYPTION, which the card's i="
          + String.format("%02X", i) + " does not support");
    }
    return scp03;
  }

  static String kvnText(int kvn) {
    return kvn == 0 ? "(default)" : String.format("%02X", kvn);
  }
}
