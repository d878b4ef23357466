package dev.perso.gp;

import dev.perso.core.channel.CardChannel;
import java.util.Objects;

/**
 * Opens a GlobalPlatform SCP02 secure channel (GP 2.2.1 Appendix E) on a channel whose target
 * application is already selected. It sends INITIALIZE UPDATE, checks the card cryptogram in constant
 * time <em>before</em> answering, sends EXTERNAL AUTHENTICATE and returns the wrapping channel. It
 * never retries: a wrong key throws {@link dev.perso.core.SecureChannelException} without sending
 * EXTERNAL AUTHENTICATE, naming the configured {@link GpOptions#alternatives() alternatives} that
 * would have matched. Variants: i = 05, 15, 45, 55; levels 00, 01, 03, 10, 11, 13.
 *
 * <pre>{@code
 * GpKeys keys = GpKeys.diversified(kmc, Diversification.EMV_CPS);
 * GpOptions options = GpOptions.builder(crypto).level(SecurityLevel.C_MAC_C_DEC).scp02Variant(Scp02Variant.I_55)
 *     .aid(Bytes.fromHex("A0000000031010")).build();
 * try (GpSecureChannel secure = Scp02.open(reader, keys, options)) {
 *   secure.transmit(storeData).requireSuccess("STORE DATA");
 * }
 * }</pre>
 */
public final class Scp02 {
  private Scp02() {}

  /**
   * @param channel the channel to the card, application selected
   * @param keys the static keys or the KMC with its diversification
   * @param options backend, level, variant, policies
   * @return the open secure channel
   * @throws dev.perso.core.SecureChannelException on a cryptogram mismatch, locked key set or rejection
   * @throws dev.perso.core.CardStatusException on another INITIALIZE UPDATE status
   */
  public static GpSecureChannel open(CardChannel channel, GpKeys keys, GpOptions options) {
    return Opener.open(new ScpVersion.Scp02Protocol(Objects.requireNonNull(options, "options").scp02Variant()), channel, keys, options);
  }

  /**
   * Offline: authenticates against an INITIALIZE UPDATE response obtained elsewhere (calculators,
   * replayed traces). Sends only EXTERNAL AUTHENTICATE on {@code channel}.
   *
   * @param channel where EXTERNAL AUTHENTICATE and later commands go
   * @param keys the keys
   * @param options options, whose host challenge must be the one the response answers
   * @param response the card's INITIALIZE UPDATE response
   * @return the open secure channel
   */
  public static GpSecureChannel authenticate(CardChannel channel, GpKeys keys, GpOptions options,
      InitializeUpdateResponse response) {
    return Opener.authenticate(new ScpVersion.Scp02Protocol(Objects.requireNonNull(options, "options").scp02Variant()), channel, keys, options, options.hostChallenge().orElseThrow(() ->
        new dev.perso.core.ValidationException("hostChallenge", "required to authenticate offline")), response);
  }
}
