package dev.perso.devices.virtual;

import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.StripeData;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.LaserJob;
import dev.perso.core.surface.PrintJob;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one physical card of a {@link VirtualWorld}, as if held in hand: what its stripe carries,
 * its chip (the live virtual card, with its personalized state), what was embossed, indented, printed and
 * engraved on it, the positions it visited, and where it is now. The lists are immutable copies taken
 * when the snapshot was made; {@code toString} shows counts, never card data.
 *
 * <pre>{@code
 * PhysicalCard issued = world.outputHopper().get(0);
 * assertThat(issued.stripe().has(2)).isTrue();
 * issued.chip().ifPresent(chip -> verify(chip));
 * }</pre>
 *
 * @param tag the controller's tag of the card
 * @param machine the id of the transport (or desktop) that fed it, or {@code hand} for a placed card
 * @param location where the card is
 * @param stripe the tracks on its magnetic stripe (possibly none)
 * @param chip its chip, if the card stock has one
 * @param embossLines the lines embossed, in order
 * @param indentLines the lines indented, in order
 * @param printJobs the print jobs, in order
 * @param laserJobs the laser jobs, in order
 * @param positions the positions it was moved to, in order
 */
public record PhysicalCard(CardTag tag, String machine, Location location, StripeData stripe,
    Optional<VirtualCard> chip, List<EmbossLine> embossLines, List<IndentLine> indentLines,
    List<PrintJob> printJobs, List<LaserJob> laserJobs, List<String> positions) {

  /** Where a physical card is. */
  public enum Location {
    /** Inside a machine. */
    INSIDE,
    /** Delivered to a machine's output hopper: issued. */
    OUTPUT_HOPPER,
    /** Dropped in a machine's reject bin. */
    REJECT_BIN
  }

  /** Checks and copies. */
  public PhysicalCard {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(stripe, "stripe");
    Objects.requireNonNull(chip, "chip");
    embossLines = List.copyOf(embossLines);
    indentLines = List.copyOf(indentLines);
    printJobs = List.copyOf(printJobs);
    laserJobs = List.copyOf(laserJobs);
    positions = List.copyOf(positions);
  }

  @Override
  public String toString() {
    return tag + " " + location + " of " + machine + ": " + stripe + ", chip " + (chip.isPresent() ? "yes" : "no")
        + ", " + embossLines.size() + " emboss, " + indentLines.size() + " indent, " + printJobs.size()
        + " print, " + laserJobs.size() + " laser, positions " + positions;
  }
}
