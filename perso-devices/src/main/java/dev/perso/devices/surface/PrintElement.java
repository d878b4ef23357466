package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * One element printed on a card face. In layout files each is an object with a {@code type}: {@code text},
 * {@code image}, {@code barcode}, {@code rect} or {@code overlay}; boxes are {@code [x, y, width, height]}
 * in mm from the face's top-left corner; colours are {@code #RRGGBB}; texts are {@link FieldTemplate}s.
 *
 * <pre>{@code
 * {"type": "text", "name": "bank", "text": "PERSO BANK", "x": 6, "y": 9, "size": 14, "colour": "#FFFFFF"}
 * {"type": "barcode", "name": "card-id", "format": "QR_CODE", "content": "{id}", "box": [70, 36, 12, 12]}
 * }</pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = PrintElement.Text.class, name = "text"),
    @JsonSubTypes.Type(value = PrintElement.Image.class, name = "image"),
    @JsonSubTypes.Type(value = PrintElement.Barcode.class, name = "barcode"),
    @JsonSubTypes.Type(value = PrintElement.Rect.class, name = "rect"),
    @JsonSubTypes.Type(value = PrintElement.Overlay.class, name = "overlay")})
public sealed interface PrintElement {

  /** @return the element's name, for errors and previews */
  String name();

  /** Text alignment at the anchor {@code x}. */
  enum Align { LEFT, CENTER, RIGHT }

  /** What happens when a text is wider than its {@code maxWidth}: never silently cut. */
  enum Overflow {
    /** The text is drawn smaller to fit, down to half its size; beyond that it is an error. */
    SHRINK,
    /** The record is rejected naming the element. */
    ERROR
  }

  /** How an image fills its box. */
  enum Fit {
    /** Whole image, aspect kept, centred (may leave margins). */
    CONTAIN,
    /** Box filled, aspect kept, the excess cropped around the centre. */
    COVER,
    /** Box filled, aspect not kept. */
    STRETCH
  }

  /** The barcode symbologies (ZXing encoders). */
  enum Format { QR_CODE, DATA_MATRIX, PDF_417, AZTEC, CODE_128, CODE_39, EAN_13 }

  /** The text faces (Debian {@code fonts-dejavu-core}, {@code fonts-ocr-b}). */
  enum TextFont { SANS, SANS_BOLD, MONO, OCR_B }

  /** What an overlay element does to the O panel. */
  enum OverlayMode {
    /** Varnish only here (a face whose panels have O is otherwise all varnished). */
    VARNISH,
    /** No varnish here (e.g. over a signature panel). */
    CLEAR
  }

  /**
   * A line of text.
   *
   * @param name element name
   * @param text a field template, e.g. {@code {name:upper}}
   * @param x anchor, mm from the left (where LEFT text starts, CENTER text centres, RIGHT text ends)
   * @param y baseline, mm from the top
   * @param size font size in points (1 pt = 0.3528 mm)
   * @param font text face (default SANS)
   * @param colour colour (default black)
   * @param align alignment (default LEFT)
   * @param maxWidth widest the text may be, mm (null: up to the printable area)
   * @param overflow what a wider text does (default ERROR)
   */
  record Text(@JsonProperty(required = true) String name, @JsonProperty(required = true) String text,
      @JsonProperty(required = true) double x, @JsonProperty(required = true) double y,
      @JsonProperty(required = true) double size, TextFont font, String colour, Align align, Double maxWidth,
      Overflow overflow) implements PrintElement {
    /** Checks and fills defaults. */
    public Text {
      Elements.name(name);
      FieldTemplate.parse(name + ".text", text);
      if (!(size > 0 && size <= 72)) {
        throw new ValidationException(name + ".size", "must be 0..72 pt");
      }
      font = font == null ? TextFont.SANS : font;
      colour = colour == null ? "#000000" : Colours.check(name + ".colour", colour);
      align = align == null ? Align.LEFT : align;
      if (maxWidth != null && !(maxWidth > 0)) {
        throw new ValidationException(name + ".maxWidth", "must be positive");
      }
      overflow = overflow == null ? Overflow.ERROR : overflow;
    }
  }

  /**
   * An image: a PNG file (relative to the layout's folder), {@code builtin:perso-logo} (drawn by code),
   * or {@code field:NAME} (a base64 PNG in the record's surface section, e.g. a photo).
   *
   * @param name element name
   * @param source where the image comes from
   * @param box where it goes
   * @param fit how it fills the box (default CONTAIN)
   */
  record Image(@JsonProperty(required = true) String name, @JsonProperty(required = true) String source,
      @JsonProperty(required = true) Box box, Fit fit) implements PrintElement {
    /** Checks and fills defaults. */
    public Image {
      Elements.name(name);
      if (source == null || source.isBlank()) {
        throw new ValidationException(name + ".source", "is required");
      }
      Objects.requireNonNull(box, "box");
      fit = fit == null ? Fit.CONTAIN : fit;
    }
  }

  /**
   * A 1D or 2D barcode, encoded by ZXing.
   *
   * @param name element name
   * @param format symbology
   * @param content a field template, e.g. {@code {id}}
   * @param box where it goes (the symbol is scaled to fit, quiet zone included)
   * @param colour bar colour (default black)
   */
  record Barcode(@JsonProperty(required = true) String name, @JsonProperty(required = true) Format format,
      @JsonProperty(required = true) String content, @JsonProperty(required = true) Box box, String colour)
      implements PrintElement {
    /** Checks and fills defaults. */
    public Barcode {
      Elements.name(name);
      Objects.requireNonNull(format, "format");
      FieldTemplate.parse(name + ".content", content);
      Objects.requireNonNull(box, "box");
      colour = colour == null ? "#000000" : Colours.check(name + ".colour", colour);
    }
  }

  /**
   * A filled rectangle (a background, a band, a signature panel).
   *
   * @param name element name
   * @param box where it goes
   * @param fill fill colour
   * @param corner corner radius, mm (default 0)
   */
  record Rect(@JsonProperty(required = true) String name, @JsonProperty(required = true) Box box,
      @JsonProperty(required = true) String fill, Double corner) implements PrintElement {
    /** Checks and fills defaults. */
    public Rect {
      Elements.name(name);
      Objects.requireNonNull(box, "box");
      fill = Colours.check(name + ".fill", fill);
      corner = corner == null ? 0.0 : corner;
    }
  }

  /**
   * An area of the overlay (O) panel.
   *
   * @param name element name
   * @param box where
   * @param mode varnish only here, or keep clear here
   */
  record Overlay(@JsonProperty(required = true) String name, @JsonProperty(required = true) Box box,
      @JsonProperty(required = true) OverlayMode mode) implements PrintElement {
    /** Checks. */
    public Overlay {
      Elements.name(name);
      Objects.requireNonNull(box, "box");
      Objects.requireNonNull(mode, "mode");
    }
  }
}
