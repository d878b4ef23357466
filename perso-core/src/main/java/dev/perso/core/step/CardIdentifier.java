package dev.perso.core.step;

import dev.perso.core.CardIdentificationException;
import dev.perso.core.cardholder.Pan;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.CodeScanner;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.ScannedCode;
import dev.perso.core.device.StripeData;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.surface.Side;
import java.util.List;
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
 * CardIdentifier printed = CardIdentifier.printed(Side.FRONT, "QR_CODE");   // the code a print step put there
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

  /**
   * An identifier printed (or engraved) on the card as a code, e.g. a QR code of the record id that the
   * earlier stage's layout prints ({@code {"type": "barcode", "format": "QR_CODE", "content": "{id}", ...}}),
   * read by the station's {@link DeviceRole#CODE_SCANNER}. The code carries an identifier, never a PAN (one that
   * looks like a card number, 12 to 19 digits with a valid Luhn check digit, is refused). A card
   * without a readable code of that symbology on that side carries none ({@code ""}); one with two codes of
   * that symbology that differ is not identified.
   *
   * @param side the side the code is on
   * @param symbology the code's symbology, e.g. {@code QR_CODE}, {@code DATA_MATRIX}, {@code CODE_128}
   * @return the identifier: the code's text
   */
  static CardIdentifier printed(Side side, String symbology) {
    return printed(side, symbology, text -> text);
  }

  /**
   * An identifier derived from a code printed (or engraved) on the card; see {@link #printed(Side, String)}.
   *
   * @param side the side the code is on
   * @param symbology the code's symbology, e.g. {@code QR_CODE}
   * @param derive derives the identifier from the code's text; {@code ""} if there is none
   * @return the identifier
   */
  static CardIdentifier printed(Side side, String symbology, Function<String, String> derive) {
    Objects.requireNonNull(side, "side");
    String wanted = new ScannedCode(symbology, "").symbology();
    Objects.requireNonNull(derive, "derive");
    return new CardIdentifier() {
      @Override
      public DeviceRole<?> role() {
        return DeviceRole.CODE_SCANNER;
      }

      @Override
      public String read(StepContext ctx) {
        CodeScanner scanner = ctx.device(DeviceRole.CODE_SCANNER);
        List<String> texts = scanner.scan(ctx.card(), side).stream().filter(c -> c.symbology().equals(wanted))
            .map(ScannedCode::text).distinct().toList();
        if (texts.size() > 1) {
          throw new CardIdentificationException(ctx.record().id(), "the card carries " + texts.size()
              + " different " + wanted + " codes on its " + side.name().toLowerCase(java.util.Locale.ROOT));
        }
        String id = texts.isEmpty() ? "" : Objects.requireNonNullElse(derive.apply(texts.get(0)), "");
        if (id.length() >= Pan.MIN_LENGTH && id.length() <= Pan.MAX_LENGTH && id.chars().allMatch(Character::isDigit)
            && Pan.luhnValid(id)) {
          throw new CardIdentificationException(ctx.record().id(), "the " + wanted + " code carries what looks like"
              + " a card number: a printed code carries an identifier (e.g. the record id), never the PAN");
        }
        return id;
      }
    };
  }

  /** @return the roles, as a step declares them */
  default Set<DeviceRole<?>> roles() {
    return Set.of(role());
  }
}
