package dev.perso.devices.virtual;

import dev.perso.core.Bytes;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.StripeData;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.LaserJob;
import dev.perso.core.surface.PrintJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** The mutable physical card inside a {@link VirtualWorld}; guarded by the world's lock. */
final class Body {
  /** The controller's tag; its record changes when a later stage identifies the card as another record's. */
  CardTag tag;
  final String machine;
  final VirtualCard chip;
  PhysicalCard.Location location = PhysicalCard.Location.INSIDE;
  final TreeMap<Integer, Bytes> tracks = new TreeMap<>();
  final List<EmbossLine> emboss = new ArrayList<>();
  final List<IndentLine> indent = new ArrayList<>();
  final List<PrintJob> prints = new ArrayList<>();
  final List<LaserJob> lasers = new ArrayList<>();
  final List<String> positions = new ArrayList<>();

  Body(CardTag tag, String machine, VirtualCard chip) {
    this.tag = tag;
    this.machine = machine;
    this.chip = chip;
  }

  /** A card finished earlier, fed again under a new tag: it keeps what it carries. */
  static Body from(CardTag tag, String machine, PhysicalCard was) {
    Body b = new Body(tag, machine, was.chip().orElse(null));
    b.tracks.putAll(was.stripe().tracks());
    b.emboss.addAll(was.embossLines());
    b.indent.addAll(was.indentLines());
    b.prints.addAll(was.printJobs());
    b.lasers.addAll(was.laserJobs());
    return b;
  }

  PhysicalCard snapshot() {
    return new PhysicalCard(tag, machine, location, StripeData.of(tracks), Optional.ofNullable(chip), emboss,
        indent, prints, lasers, positions);
  }
}
