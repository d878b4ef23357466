package dev.perso.devices.surface;

import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.LaserJob;
import java.util.List;
import java.util.Map;

/**
 * A layout filled with one record, checked: the emboss and indent lines and laser jobs the devices get,
 * the printed elements' texts and barcode contents, and the warnings. Holds card data: {@code toString}
 * prints counts only.
 *
 * <pre>{@code
 * SurfacePlan plan = layout.plan(record);            // SurfaceValidationException on an error
 * embosser.emboss(card, plan.emboss());
 * }</pre>
 *
 * @param recordId the record's id
 * @param emboss emboss lines, in layout order
 * @param indent indent lines
 * @param printValues resolved text of each text and barcode element, by element name
 * @param textScale how much each shrunk text element is scaled (absent: 1)
 * @param laser laser jobs, one per template
 * @param warnings what the checks warn about
 */
public record SurfacePlan(String recordId, List<EmbossLine> emboss, List<IndentLine> indent,
    Map<String, String> printValues, Map<String, Double> textScale, List<LaserJob> laser,
    List<SurfaceCheck> warnings) {
  /** Copies. */
  public SurfacePlan {
    emboss = List.copyOf(emboss);
    indent = List.copyOf(indent);
    printValues = Map.copyOf(printValues);
    textScale = Map.copyOf(textScale);
    laser = List.copyOf(laser);
    warnings = List.copyOf(warnings);
  }

  @Override
  public String toString() {
    return "SurfacePlan[" + recordId + ", " + emboss.size() + " emboss, " + indent.size() + " indent, "
        + printValues.size() + " print values, " + laser.size() + " laser, " + warnings.size() + " warnings]";
  }
}
