package dev.perso.devices.surface;

import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.LaserJob;
import dev.perso.core.surface.PrintJob;
import dev.perso.devices.virtual.PhysicalCard;
import java.util.List;

/**
 * What is on a card's surface: the device jobs done on it, in order. A preview draws exactly this, so the
 * preview of a virtual card is what its virtual devices did ({@link #of(PhysicalCard)}). Holds card data:
 * {@code toString} prints counts only.
 *
 * <pre>{@code
 * CardSurface done = CardSurface.of(world.outputHopper().get(0));
 * BufferedImage front = CardRenderer.of(layout).render(done, Side.FRONT, 200).image();
 * }</pre>
 *
 * @param emboss lines embossed
 * @param indent lines indented
 * @param prints print jobs (each side's last face is on top)
 * @param laser laser jobs
 */
public record CardSurface(List<EmbossLine> emboss, List<IndentLine> indent, List<PrintJob> prints,
    List<LaserJob> laser) {
  /** Copies. */
  public CardSurface {
    emboss = List.copyOf(emboss);
    indent = List.copyOf(indent);
    prints = List.copyOf(prints);
    laser = List.copyOf(laser);
  }

  /**
   * @param card a card of a virtual world
   * @return what its devices did to it
   */
  public static CardSurface of(PhysicalCard card) {
    return new CardSurface(card.embossLines(), card.indentLines(), card.printJobs(), card.laserJobs());
  }

  /** @return a blank card */
  public static CardSurface blank() {
    return new CardSurface(List.of(), List.of(), List.of(), List.of());
  }

  @Override
  public String toString() {
    return "CardSurface[" + emboss.size() + " emboss, " + indent.size() + " indent, " + prints.size() + " print, "
        + laser.size() + " laser]";
  }
}
