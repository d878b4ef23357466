package dev.perso.core.step;

import dev.perso.core.device.ChipSession;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.channel.CardChannel;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads an identifier from the physical card at a station: how a stage names the card it finished and how
 * a later stage finds the card's record again. The identifier is a small id (a chip serial, a card
 * number's reference), never a secret or track data: derive it when the source is sensitive.
 *
 * <pre>{@code
 * CardIdentifier serial = CardIdentifier.chip(ch -> Hex.of(ch.transmit(GET_DATA_CPLC).data().slice(15, 4)));
 * }</pre>
 */
public interface CardIdentifier {

  /** @return the device role the identifier is read with */
  DeviceRole<?> role();

  /**
   * @param ctx the running step's context (card, station devices)
   * @return the identifier, or empty if the card carries none
   */
  String read(StepContext ctx);

  /**
   * An identifier read from the chip: the station powers the card and {@code read} talks to it.
   *
   * @param read reads the identifier over the card's channel; returns {@code ""} if there is none
   * @return the identifier
   */
  static CardIdentifier chip(Function<CardChannel, String> read) {
    Objects.requireNonNull(read, "read");
    return new CardIdentifier() {
      @Override
      public DeviceRole<?> role() {
        return DeviceRole.CHIP_STATION;
      }

      @Override
      public String read(StepContext ctx) {
        try (ChipSession s = ctx.device(DeviceRole.CHIP_STATION).power(ctx.card())) {
          return Objects.requireNonNullElse(read.apply(s.channel()), "");
        }
      }
    };
  }

  /**
   * An identifier derived from what the magnetic stripe carries.
   *
   * @param derive derives the identifier from the tracks read (never returns track data itself); {@code ""}
   *     if there is none
   * @return the identifier
   */
  static CardIdentifier stripe(Function<StripeData, String> derive) {
    Objects.requireNonNull(derive, "derive");
    return new CardIdentifier() {
      @Override
      public DeviceRole<?> role() {
        return DeviceRole.MAG_STRIPE_ENCODER;
      }

      @Override
      public String read(StepContext ctx) {
        MagStripeEncoder enc = ctx.device(DeviceRole.MAG_STRIPE_ENCODER);
        return Objects.requireNonNullElse(derive.apply(enc.read(ctx.card())), "");
      }
    };
  }

  /** @return the roles, as a step declares them */
  default Set<DeviceRole<?>> roles() {
    return Set.of(role());
  }
}
