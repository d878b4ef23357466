package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.perso.core.ValidationException;
import dev.perso.core.surface.Panel;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What is printed on one side: the ribbon panels ({@code "YMCKO"} for colour with overlay, {@code "K"} or
 * {@code "KO"} for mono) and the elements, drawn in order.
 *
 * <pre>{@code
 * {"panels": "YMCKO", "elements": [{"type": "rect", "name": "bg", "box": [0, 0, 85.6, 53.98], "fill": "#1B3A6B"}]}
 * }</pre>
 *
 * @param panels the ribbon panels, as letters of YMCKO
 * @param elements the elements
 */
public record FaceLayout(@JsonProperty(required = true) String panels,
    @JsonProperty(required = true) List<PrintElement> elements) {
  /** Checks and copies. */
  public FaceLayout {
    panelSet(panels);
    elements = List.copyOf(elements);
  }

  /** @return the panels */
  public Set<Panel> panelSet() {
    return panelSet(panels);
  }

  /** @return whether the face is printed in colour (has Y, M and C) */
  public boolean colour() {
    return panelSet().containsAll(EnumSet.of(Panel.Y, Panel.M, Panel.C));
  }

  private static Set<Panel> panelSet(String letters) {
    if (letters == null || letters.isEmpty()) {
      throw new ValidationException("panels", "must be letters of YMCKO, e.g. YMCKO or K");
    }
    EnumSet<Panel> set = EnumSet.noneOf(Panel.class);
    for (char c : letters.toCharArray()) {
      Panel p;
      try {
        p = Panel.valueOf(String.valueOf(c));
      } catch (IllegalArgumentException e) {
        throw new ValidationException("panels", "'" + c + "' is not a panel (YMCKO)");
      }
      if (!set.add(p)) {
        throw new ValidationException("panels", "panel " + c + " twice");
      }
    }
    boolean anyYmc = set.contains(Panel.Y) || set.contains(Panel.M) || set.contains(Panel.C);
    if (anyYmc && !set.containsAll(EnumSet.of(Panel.Y, Panel.M, Panel.C))) {
      throw new ValidationException("panels", "colour needs all of Y, M and C");
    }
    if (!anyYmc && !set.contains(Panel.K)) {
      throw new ValidationException("panels", "a face needs K or YMC");
    }
    return Collections.unmodifiableSet(set);
  }
}
