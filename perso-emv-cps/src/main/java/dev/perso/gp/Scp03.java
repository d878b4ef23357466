package dev.perso.gp;

import dev.perso.core.channel.CardChannel;
import java.util.Objects;

/**
 * Opens a GlobalPlatform SCP03 secure channel (GP Amendment D) on a channel whose target
 * application is already selected. It sends INITIALIZE UPDATE, checks the card cryptogram in constant
 * time <em>before</em> answering, sends EXTERNAL AUTHENTICATE and returns the wrapping channel. It
 * never retries: a wrong key throws {@link dev.perso.core.SecureChannelException} without sending
 * EXTERNAL AUTHENTICATE, naming the configured {@link GpOptions#alternatives() alternatives} that
 * would have matched. The card states "i" (00, 10, 20, 30, 60, 70, each with or without the S16 bit);
 * S8 and S16 with AES-128, AES-192 and AES-256; levels 00, 01, 03, 11, 13, 33.
 *
 * <pre>{@code
 * GpKeys keys = GpKeys.diversified(kmc, Diversification.KDF3);
 * GpOptions options = GpOptions.builder(crypto).level(SecurityLevel.C_MAC_C_DEC_R_MAC).scp03Mode(GpOptions.Scp03Mode.S8)
 *     .aid(Bytes.fromHex("A0000000031010")).build();
 * try (GpSecureChannel secure = Scp03.open(reader, keys, options)) {
 *   secure.transmit(storeData).requireSuccess("STORE DATA");
 * }
 * }</pre>
 */
public final class Scp03 {
  private Scp03() {}

  /**
   * @param channel the channel to the card, application selected
   * @param keys the static keys or the KMC with its diversification
   * @param options backend, level, mode, policies
   * @return the open secure channel
   * @throws dev.perso.core.SecureChannelException on a cryptogram mismatch, locked key set or rejection
   * @throws dev.perso.core.CardStatusException on another INITIALIZE UPDATE status
   */
  public static GpSecureChannel open(CardChannel channel, GpKeys keys, GpOptions options) {
    return Opener.open(Opener.scp03(Objects.requireNonNull(options, "options")), channel, keys, options);
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
    return Opener.authenticate(Opener.scp03(Objects.requireNonNull(options, "options")), channel, keys, options, options.hostChallenge().orElseThrow(() ->
        new dev.perso.core.ValidationException("hostChallenge", "required to authenticate offline")), response);
  }
}
