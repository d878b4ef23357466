package dev.perso.devices.datacard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.Side;
import dev.perso.core.surface.Topping;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Emboss and indent lines as {@code ~EM%font;x;y;text} escapes (notes magstripe-surface §4.1, §4.2). */
class DatacardEscapesTest {
  private final DatacardEscapes esc = DatacardEscapes.builder().build();

  @Test
  void theIdLineOnIsoArea1BecomesMilsToTheFirstCentreAndTheMidpoint() {
    // ISO/IEC 7811-3 area 1: centre line 21.42 mm above the bottom edge (notes §4.1, Guthery & Jurgensen)
    // = 843 mils; a 4.5 mm 7B-style font (default height) has its baseline 2.25 mm lower, 34.81 mm from the top.
    // First character's left edge 10.00 mm + half the 7 cpi pitch (1.814 mm) = 11.814 mm = 465 mils.
    EmbossLine pan = new EmbossLine("4000 1234 5678 9010", EmbossFont.FARRINGTON_7B, 10.0, 34.81, Topping.SILVER);
    assertThat(esc.escapes(List.of(pan), List.of())).containsExactly("~EM%1;465;843;4000 1234 5678 9010");
  }

  @Test
  void anIndentOnItsFontsOtherSideAddsTwentyToTheFontNumber() {
    // notes §4.1: "Add 20 to a font number to override the default side"; font 10 = indent, front by default.
    // x: 62.0 + 25.4/14/2 = 62.907 mm = 2477 mils; y: 53.98 - 40.0 + 1.25 = 15.23 mm = 600 mils.
    IndentLine cvv2 = new IndentLine("123", EmbossFont.INDENT_OCR, Side.BACK, 62.0, 40.0);
    IndentLine front = new IndentLine("123", EmbossFont.INDENT_OCR, Side.FRONT, 62.0, 40.0);
    assertThat(esc.escapes(List.of(), List.of(cvv2, front))).containsExactly("~EM%30;2477;600;123", "~EM%10;2477;600;123");
  }

  @Test
  void offsetsOutsideTheSd360LimitsAreTypedErrorsThatDependOnTopping() {
    // SD360 (notes §4.1): x 280..3025 with topping, 100..3275 without; y 135..860 with, 135..1460 without.
    // x = 3 mm + 1.27 (half the Gothic pitch) = 4.27 mm = 168 mils: too far left with topping, fine without.
    EmbossLine left = new EmbossLine("NAME", EmbossFont.GOTHIC, 3.0, 45.0, Topping.GOLD);
    assertThatThrownBy(() -> esc.escapes(List.of(left), List.of())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("emboss line 1").hasMessageContaining("horizontal offset 168")
        .hasMessageContaining("280..3025 with topping").hasMessageNotContaining("NAME");
    assertThat(esc.escapes(List.of(new EmbossLine("NAME", EmbossFont.GOTHIC, 3.0, 45.0, Topping.NONE)), List.of()))
        .containsExactly("~EM%2;168;413;NAME");
    // y = 53.98 - 25.0 + 1.5 = 30.48 mm = 1200 mils: above 860 with topping, within 1460 without
    EmbossLine high = new EmbossLine("NAME", EmbossFont.GOTHIC, 10.0, 25.0, Topping.SILVER);
    assertThatThrownBy(() -> esc.escapes(List.of(high), List.of())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("vertical offset 1200").hasMessageContaining("135..860");
    assertThat(esc.escapes(List.of(new EmbossLine("NAME", EmbossFont.GOTHIC, 10.0, 25.0, Topping.NONE)), List.of()))
        .containsExactly("~EM%2;444;1200;NAME");
  }

  @Test
  void anglesBracketsAndControlCharactersAreRefused() {
    // notes §4.1: data 0x20..0xFF, < and > not allowed
    for (String bad : List.of("A<B", "A>B", "A\tB")) {
      assertThatThrownBy(() -> esc.escapes(List.of(new EmbossLine(bad, EmbossFont.GOTHIC, 10, 45, Topping.NONE)), List.of()))
          .isInstanceOf(ValidationException.class).hasMessageContaining("character 2");
    }
  }

  @Test
  void theFontTableAndLimitsAreDeviceParameters() {
    DatacardEscapes other = DatacardEscapes.builder()
        .font(EmbossFont.GOTHIC, new DatacardEscapes.Font(4, 2.54, 3.0, Side.FRONT))
        .limits(new DatacardEscapes.Limits(100, 3300, 100, 3300, 100, 1500, 100, 1500)).build();
    assertThat(other.escapes(List.of(new EmbossLine("A", EmbossFont.GOTHIC, 10.0, 25.0, Topping.SILVER)), List.of()))
        .containsExactly("~EM%4;444;1200;A");
    assertThatThrownBy(() -> new DatacardEscapes.Font(20, 2.54, 3, Side.FRONT)).isInstanceOf(ValidationException.class);
  }
}
