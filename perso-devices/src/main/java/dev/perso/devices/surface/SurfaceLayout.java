package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.LaserJob;
import dev.perso.core.surface.Side;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A card type's surface layout, as data: on an ID-1 card, the printed faces (front, back), the emboss and
 * indent lines, and laser templates, with the card stock (chip, stripe) and the limits they are checked
 * against. Loaded strictly from JSON: an unknown member, a missing one or a bad value is an error naming
 * the file and the JSON path. {@link #plan(CardRecord)} fills it with a record's {@code surface} fields and
 * checks it against ISO/IEC 7811-3 and the device limits.
 *
 * <pre>{@code
 * SurfaceLayout layout = SurfaceLayout.load("debit-example", Path.of("."));   // or a file path
 * SurfacePlan plan = layout.plan(record);
 * BufferedImage front = CardRenderer.of(layout).render(CardSurface.of(plan, layout, 300), Side.FRONT, 300).image();
 * }</pre>
 *
 * <p>The file: {@code {"name", "description", "stock": CardStock, "limits": SurfaceLimits, "fonts":
 * {EmbossFont: FontSpec}, "front": FaceLayout, "back": FaceLayout, "emboss": [EmbossSpec], "indent":
 * [IndentSpec], "laser": [LaserTemplate]}}; only {@code name} is required.
 */
public final class SurfaceLayout {
  /** The shipped example layouts. */
  public static final List<String> EXAMPLES = List.of("debit-example");

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
          DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
          DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  record Json(@JsonProperty(required = true) String name, String description, CardStock stock,
      SurfaceLimits limits, Map<EmbossFont, FontSpec> fonts, FaceLayout front, FaceLayout back,
      List<EmbossSpec> emboss, List<IndentSpec> indent, List<LaserTemplate> laser) {}

  private final String name;
  private final String source;
  private final Path baseDir;
  private final CardStock stock;
  private final SurfaceLimits limits;
  private final Map<EmbossFont, FontSpec> fonts;
  private final Map<Side, FaceLayout> faces;
  private final List<EmbossSpec> emboss;
  private final List<IndentSpec> indent;
  private final List<LaserTemplate> laser;

  private SurfaceLayout(Json j, String source, Path baseDir) {
    if (j.name() == null || j.name().isBlank()) {
      throw new ValidationException(source + " $.name", "is required (a non-blank string)");
    }
    this.name = j.name();
    this.source = source;
    this.baseDir = baseDir;
    this.stock = j.stock() == null ? CardStock.plain() : j.stock();
    this.limits = j.limits() == null ? SurfaceLimits.iso7811() : j.limits();
    Map<EmbossFont, FontSpec> f = FontSpec.defaults();
    if (j.fonts() != null) {
      f.putAll(j.fonts());
    }
    this.fonts = Map.copyOf(f);
    Map<Side, FaceLayout> fc = new EnumMap<>(Side.class);
    if (j.front() != null) {
      fc.put(Side.FRONT, j.front());
    }
    if (j.back() != null) {
      fc.put(Side.BACK, j.back());
    }
    this.faces = Map.copyOf(fc);
    this.emboss = j.emboss() == null ? List.of() : List.copyOf(j.emboss());
    this.indent = j.indent() == null ? List.of() : List.copyOf(j.indent());
    this.laser = j.laser() == null ? List.of() : List.copyOf(j.laser());
    checkLayout();
  }

  /**
   * @param fileOrName a layout file (a path ending in {@code .json}, or an existing file), else a shipped
   *     example's name
   * @param baseDir where a relative file path (and the layout's image files) resolve
   * @return the layout
   * @throws ValidationException naming the file and JSON path
   */
  public static SurfaceLayout load(String fileOrName, Path baseDir) {
    Path file = baseDir.resolve(fileOrName);
    if (fileOrName.endsWith(".json") || Files.isRegularFile(file)) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new ValidationException(file.toString(), "cannot read surface layout: " + e.getMessage());
      }
      Path parent = file.toAbsolutePath().getParent();
      return parse(text, file.getFileName().toString(), parent == null ? baseDir : parent);
    }
    if (!EXAMPLES.contains(fileOrName)) {
      throw new ValidationException("surface layout", "no file or shipped example named '" + fileOrName
          + "' (examples: " + EXAMPLES + ")");
    }
    try (InputStream in = SurfaceLayout.class.getResourceAsStream("layouts/" + fileOrName + ".json")) {
      if (in == null) {
        throw new TransportException("the shipped layout " + fileOrName + " is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), fileOrName + ".json", baseDir);
    } catch (IOException e) {
      throw new TransportException("cannot read the shipped layout " + fileOrName, e);
    }
  }

  /**
   * @param json the layout's JSON text
   * @param source its name for errors (a file name)
   * @param baseDir where its image files resolve
   * @return the layout
   * @throws ValidationException naming {@code source} and the JSON path
   */
  public static SurfaceLayout parse(String json, String source, Path baseDir) {
    try {
      return parse(JSON.readTree(json), source, baseDir);
    } catch (JsonProcessingException e) {
      throw new ValidationException(source, "not valid JSON" + (e.getLocation() == null ? "" : " at line "
          + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr()) + ": " + e.getOriginalMessage());
    }
  }

  /**
   * @param tree the layout's JSON object (e.g. the {@code layout} member of a step)
   * @param at where it is, e.g. {@code debit.json $.steps[2].layout}
   * @param baseDir where its image files resolve
   * @return the layout
   * @throws ValidationException naming {@code at} and the JSON path below it
   */
  public static SurfaceLayout parse(JsonNode tree, String at, Path baseDir) {
    String root = at.contains("$") ? at : at + " $";
    if (tree == null || !tree.isObject()) {
      throw new ValidationException(root, "a surface layout must be a JSON object");
    }
    Json j;
    try {
      j = JSON.treeToValue(tree, Json.class);
    } catch (JsonMappingException e) {
      throw mappingError(root, e);
    } catch (JsonProcessingException e) {
      throw new ValidationException(root, e.getOriginalMessage());
    }
    try {
      return new SurfaceLayout(j, root, baseDir);
    } catch (SurfaceValidationException e) {
      throw e;
    } catch (ValidationException e) {
      throw new ValidationException(root + " " + e.field(), e.rule());
    }
  }

  private static ValidationException mappingError(String root, JsonMappingException e) {
    StringBuilder path = new StringBuilder(root);
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    if (e instanceof UnrecognizedPropertyException u) {
      TreeSet<String> known = new TreeSet<>();
      u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      return new ValidationException(path.toString(), "unknown member (allowed: " + known + ")");
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof ValidationException v) {
      return new ValidationException(path.toString(), v.field() + " " + v.rule());
    }
    if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
      return new ValidationException(path.toString(), "must be one of " + Arrays.toString(
          f.getTargetType().getEnumConstants()));
    }
    String msg = e.getOriginalMessage();
    int cut = msg.indexOf(" (for ");
    return new ValidationException(path.toString(), (cut > 0 ? msg.substring(0, cut) : msg)
        .replaceAll("`[a-z.]+\\.([A-Za-z$]+)`", "$1"));
  }

  /** Record-independent checks, so that a wrong layout fails when it is loaded. */
  private void checkLayout() {
    List<SurfaceCheck> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Box printable = Box.ID1.inset(limits.printMarginMm());
    for (Map.Entry<Side, FaceLayout> f : faces.entrySet()) {
      for (PrintElement e : f.getValue().elements()) {
        unique(names, e.name(), errors);
        Box b = e instanceof PrintElement.Rect r ? r.box() : e instanceof PrintElement.Overlay o ? o.box()
            : fixedBox(e);
        if (b != null && !Box.ID1.contains(b)) {
          errors.add(error(e.name(), SurfaceCheck.Rule.OUTSIDE_CARD, "box " + b + " is not on the card"));
        } else if (b != null && !(e instanceof PrintElement.Rect || e instanceof PrintElement.Overlay)
            && !printable.contains(b)) {
          errors.add(error(e.name(), SurfaceCheck.Rule.OUTSIDE_PRINTABLE, "box " + b + " reaches into the "
              + limits.printMarginMm() + " mm unprintable margin"));
        }
      }
    }
    emboss.forEach(e -> unique(names, e.name(), errors));
    indent.forEach(e -> unique(names, e.name(), errors));
    for (LaserTemplate t : laser) {
      for (LaserTemplate.Element e : t.elements()) {
        if (!Box.ID1.contains(e.box())) {
          errors.add(error(t.name() + "." + e.name(), SurfaceCheck.Rule.OUTSIDE_CARD, "box " + e.box()
              + " is not on the card"));
        }
      }
    }
    for (EmbossFont font : fonts.keySet()) {
      if (fonts.get(font) == null) {
        errors.add(error(font.name(), SurfaceCheck.Rule.FONT_CHARACTERS, "no font parameters"));
      }
    }
    if (!errors.isEmpty()) {
      throw new SurfaceValidationException(source, errors);
    }
  }

  /** The box of an image or barcode element; null for others. */
  static Box fixedBox(PrintElement e) {
    if (e instanceof PrintElement.Image i) {
      return i.box();
    }
    return e instanceof PrintElement.Barcode b ? b.box() : null;
  }

  private static void unique(Set<String> names, String name, List<SurfaceCheck> errors) {
    if (!names.add(name)) {
      errors.add(error(name, SurfaceCheck.Rule.CONTENT, "two elements of the layout have this name"));
    }
  }

  private static SurfaceCheck error(String element, SurfaceCheck.Rule rule, String detail) {
    return new SurfaceCheck(SurfaceCheck.Severity.ERROR, element, rule, detail);
  }

  private static SurfaceCheck warning(String element, SurfaceCheck.Rule rule, String detail) {
    return new SurfaceCheck(SurfaceCheck.Severity.WARNING, element, rule, detail);
  }

  /**
   * The record fields the layout reads, to check a record's {@code surface} section.
   *
   * @return field names ({@code id} is the record's id, not a field)
   */
  public Set<String> fields() {
    Set<String> out = new TreeSet<>();
    emboss.forEach(e -> out.addAll(FieldTemplate.parse(e.name(), e.text()).fields()));
    indent.forEach(e -> out.addAll(FieldTemplate.parse(e.name(), e.text()).fields()));
    for (FaceLayout f : faces.values()) {
      for (PrintElement e : f.elements()) {
        if (e instanceof PrintElement.Text t) {
          out.addAll(FieldTemplate.parse(t.name(), t.text()).fields());
        } else if (e instanceof PrintElement.Barcode b) {
          out.addAll(FieldTemplate.parse(b.name(), b.content()).fields());
        } else if (e instanceof PrintElement.Image i && i.source().startsWith("field:")) {
          out.add(i.source().substring(6));
        }
      }
    }
    for (LaserTemplate t : laser) {
      for (LaserTemplate.Element e : t.elements()) {
        if (e.kind() != LaserTemplate.Kind.IMAGE) {
          out.addAll(FieldTemplate.parse(e.name(), e.value()).fields());
        } else if (e.value().startsWith("field:")) {
          out.add(e.value().substring(6));
        }
      }
    }
    out.remove("id");
    return out;
  }

  /**
   * Fills the layout with a record's {@code surface} section (an object of text fields) and checks the
   * result against ISO/IEC 7811-3 and the device limits.
   *
   * @param record the record
   * @return the plan, with its warnings
   * @throws ValidationException naming {@code <where> surface.<field>} for a missing or ill-formed field
   * @throws SurfaceValidationException listing every broken rule, naming the element and the rule
   */
  public SurfacePlan plan(CardRecord record) {
    Map<String, String> values = values(record);
    String where = record.where();
    List<SurfaceCheck> checks = new ArrayList<>();
    List<EmbossLine> embossLines = new ArrayList<>();
    List<EmbossSpec> embossSpecs = new ArrayList<>();
    List<IndentLine> indentLines = new ArrayList<>();
    Map<String, String> printValues = new HashMap<>();
    Map<String, Double> scale = new HashMap<>();
    List<LaserJob> jobs = new ArrayList<>();
    try {
      for (EmbossSpec e : emboss) {
        String text = FieldTemplate.parse(e.name(), e.text()).resolve(values);
        if (!text.isEmpty()) {
          checkChars(e.name(), text, e.font(), checks);
          embossLines.add(new EmbossLine(text, e.font(), e.x(), e.y(), e.topping()));
          embossSpecs.add(e);
        }
      }
      for (IndentSpec e : indent) {
        String text = FieldTemplate.parse(e.name(), e.text()).resolve(values);
        checkChars(e.name(), text, e.font(), checks);
        indentLines.add(new IndentLine(text, e.font(), e.side(), e.x(), e.y()));
      }
      for (FaceLayout f : faces.values()) {
        for (PrintElement pe : f.elements()) {
          if (pe instanceof PrintElement.Text t) {
            String text = FieldTemplate.parse(t.name(), t.text()).resolve(values);
            printValues.put(t.name(), text);
            checkText(t, text, scale, checks);
          } else if (pe instanceof PrintElement.Barcode b) {
            String content = FieldTemplate.parse(b.name(), b.content()).resolve(values);
            printValues.put(b.name(), content);
            try {
              Barcodes.encode(b.name(), b.format(), content);
            } catch (ValidationException x) {
              checks.add(error(b.name(), SurfaceCheck.Rule.CONTENT, x.rule()));
            }
          } else if (pe instanceof PrintElement.Image i && i.source().startsWith("field:")) {
            String field = i.source().substring(6);
            String v = values.get(field);
            if (v == null) {
              throw new ValidationException(field, "is required by the surface layout (a base64 PNG)");
            }
            printValues.put(i.name(), v);
          }
        }
      }
      for (LaserTemplate t : laser) {
        Map<String, String> v = new LinkedHashMap<>();
        for (LaserTemplate.Element e : t.elements()) {
          if (e.kind() == LaserTemplate.Kind.IMAGE) {
            v.put(e.name(), e.value().startsWith("field:") ? Optional.ofNullable(values.get(e.value().substring(6)))
                .orElseThrow(() -> new ValidationException(e.value().substring(6), "is required by the surface layout"))
                : e.value());
          } else {
            v.put(e.name(), FieldTemplate.parse(e.name(), e.value()).resolve(values));
          }
          if (e.kind() == LaserTemplate.Kind.BARCODE) {
            try {
              Barcodes.encode(e.name(), e.format(), v.get(e.name()));
            } catch (ValidationException x) {
              checks.add(error(t.name() + "." + e.name(), SurfaceCheck.Rule.CONTENT, x.rule()));
            }
          }
        }
        jobs.add(new LaserJob(t.name(), t.side(), v));
      }
    } catch (SurfaceValidationException e) {
      throw e;
    } catch (ValidationException e) {
      throw new ValidationException(where + " surface." + e.field(), e.rule());
    }
    checkEmboss(embossLines, embossSpecs, printValues, scale, checks);
    checkIndent(indentLines, checks);
    List<SurfaceCheck> errors = checks.stream().filter(c -> c.severity() == SurfaceCheck.Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      throw new SurfaceValidationException(where, errors);
    }
    return new SurfacePlan(record.id(), embossLines, indentLines, printValues, scale, jobs,
        checks.stream().filter(c -> c.severity() == SurfaceCheck.Severity.WARNING).toList());
  }

  private Map<String, String> values(CardRecord record) {
    Map<String, String> values = new HashMap<>();
    Optional<JsonNode> s = record.section("surface");
    if (s.isPresent()) {
      if (!s.get().isObject()) {
        throw new ValidationException(record.where() + " surface", "must be an object of text fields");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = s.get().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new ValidationException(record.where() + " surface." + e.getKey(), "must be a string");
        }
        if (e.getKey().equals("id")) {
          throw new ValidationException(record.where() + " surface.id", "is the record's id; the section may not set it");
        }
        values.put(e.getKey(), e.getValue().asText());
      }
    }
    values.put("id", record.id());
    return values;
  }

  private void checkChars(String element, String text, EmbossFont font, List<SurfaceCheck> checks) {
    FontSpec spec = fonts.get(font);
    for (int i = 0; i < text.length(); i++) {
      if (!spec.canForm(text.charAt(i))) {
        checks.add(error(element, SurfaceCheck.Rule.FONT_CHARACTERS, "character " + (i + 1) + " is not one " + font
            + " forms (" + spec.characters().length() + " characters: letters and digits as the device's font table)"));
        return;
      }
    }
  }

  private void checkText(PrintElement.Text t, String text, Map<String, Double> scale, List<SurfaceCheck> checks) {
    double width = textBox(t, text, 1).width();
    Box printable = Box.ID1.inset(limits.printMarginMm());
    double room = t.maxWidth() != null ? t.maxWidth() : switch (t.align()) {
      case LEFT -> printable.right() - t.x();
      case RIGHT -> t.x() - printable.x();
      case CENTER -> 2 * Math.min(t.x() - printable.x(), printable.right() - t.x());
    };
    if (width > room) {
      double s = room / width;
      if (t.overflow() == PrintElement.Overflow.SHRINK && s >= 0.5) {
        scale.put(t.name(), s);
      } else {
        checks.add(error(t.name(), SurfaceCheck.Rule.CONTENT, String.format(Locale.ROOT,
            "text is %.1f mm wide, more than its %.1f mm (overflow %s)", width, room, t.overflow())));
        return;
      }
    }
    Box box = textBox(t, text, scale.getOrDefault(t.name(), 1.0));
    if (!Box.ID1.contains(box)) {
      checks.add(error(t.name(), SurfaceCheck.Rule.OUTSIDE_CARD, "text box " + box + " is not on the card"));
    } else if (!printable.contains(box)) {
      checks.add(error(t.name(), SurfaceCheck.Rule.OUTSIDE_PRINTABLE, "text box " + box + " reaches into the "
          + limits.printMarginMm() + " mm unprintable margin"));
    }
  }

  /** The box a text element covers, in mm. */
  Box textBox(PrintElement.Text t, String text, double scale) {
    double mm = t.size() * 25.4 / 72 * scale;
    java.awt.Font f = SurfaceFonts.system().text(t.font(), mm);
    Rectangle2D r = f.getStringBounds(text.isEmpty() ? " " : text, SurfaceFonts.FRC);
    double w = Math.max(r.getWidth(), 0.01);
    double x = switch (t.align()) {
      case LEFT -> t.x();
      case CENTER -> t.x() - w / 2;
      case RIGHT -> t.x() - w;
    };
    java.awt.font.LineMetrics lm = f.getLineMetrics(text.isEmpty() ? " " : text, SurfaceFonts.FRC);
    return new Box(x, t.y() - lm.getAscent(), w, lm.getAscent() + lm.getDescent());
  }

  /** The box of an emboss or indent line, in mm on the side it is made from. */
  Box lineBox(String text, EmbossFont font, double x, double y) {
    FontSpec spec = fonts.get(font);
    return new Box(x, y - spec.height(), Math.max(text.length(), 1) * spec.pitch(), spec.height());
  }

  private void checkEmboss(List<EmbossLine> lines, List<EmbossSpec> specs, Map<String, String> printValues, Map<String, Double> scale,
      List<SurfaceCheck> checks) {
    List<double[]> nameLines = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      EmbossLine line = lines.get(i);
      EmbossSpec spec = specs.get(i);
      String el = spec.name();
      FontSpec fs = fonts.get(line.font());
      Box box = lineBox(line.text(), line.font(), line.xMm(), line.yMm());
      if (!Box.ID1.contains(box)) {
        checks.add(error(el, SurfaceCheck.Rule.OUTSIDE_CARD, "line box " + box + " is not on the card"));
      }
      if (spec.area() == EmbossSpec.Area.ID_NUMBER) {
        long digits = line.text().chars().filter(Character::isDigit).count();
        if (digits > limits.idLineMaxDigits()) {
          checks.add(error(el, SurfaceCheck.Rule.ID_LINE_LENGTH, digits + " numerals, more than "
              + limits.idLineMaxDigits()));
        }
        double centreFromBottom = Box.ID1.height() - (line.yMm() - fs.height() / 2);
        if (Math.abs(centreFromBottom - limits.idLineCentreFromBottomMm()) > limits.idLineToleranceMm()) {
          checks.add(error(el, SurfaceCheck.Rule.ID_LINE_AREA, String.format(Locale.ROOT,
              "centre line %.2f mm above the bottom edge, not %.2f +/- %.2f mm", centreFromBottom,
              limits.idLineCentreFromBottomMm(), limits.idLineToleranceMm())));
        }
      } else {
        if (line.text().length() > limits.nameMaxChars()) {
          checks.add(error(el, SurfaceCheck.Rule.NAME_LENGTH, line.text().length() + " characters, more than "
              + limits.nameMaxChars()));
        }
        double firstCentre = line.xMm() + fs.pitch() / 2;
        if (firstCentre < limits.nameFirstCharCentreMinXMm() - 1e-9) {
          checks.add(error(el, SurfaceCheck.Rule.NAME_AREA, String.format(Locale.ROOT,
              "first character's centre %.2f mm from the left edge, less than %.2f", firstCentre,
              limits.nameFirstCharCentreMinXMm())));
        }
        double margin = Box.ID1.height() - line.yMm();
        double min = stock.stripe() != null ? limits.nameBottomMarginWithStripeMm() : limits.nameBottomMarginMm();
        if (margin < min - 1e-9) {
          checks.add(error(el, SurfaceCheck.Rule.NAME_AREA, String.format(Locale.ROOT,
              "%.2f mm above the bottom edge, less than %.2f%s", margin, min, stock.stripe() != null
                  ? " (card with a magnetic stripe)" : "")));
        }
        nameLines.add(new double[] {box.y(), box.bottom()});
      }
      overChipOrStripe(el, box, Side.FRONT, checks);
      for (Map.Entry<Side, FaceLayout> f : faces.entrySet()) {
        Box seen = f.getKey() == Side.FRONT ? box : box.mirrored();
        for (PrintElement pe : f.getValue().elements()) {
          // Fills and overlay have no box here: embossing over a background is normal.
          Box pb = pe instanceof PrintElement.Text t
              ? textBox(t, printValues.get(t.name()), scale.getOrDefault(t.name(), 1.0)) : fixedBox(pe);
          if (pb != null && pb.intersects(seen)) {
            checks.add(warning(el, SurfaceCheck.Rule.EMBOSS_OVER_PRINT, "the relief crosses " + f.getKey()
                .name().toLowerCase(Locale.ROOT) + " element " + pe.name()));
          }
        }
      }
    }
    if (nameLines.size() > limits.nameMaxLines()) {
      checks.add(error("emboss", SurfaceCheck.Rule.NAME_LENGTH, nameLines.size() + " name/address lines, more than "
          + limits.nameMaxLines()));
    }
    if (!nameLines.isEmpty()) {
      double top = nameLines.stream().mapToDouble(a -> a[0]).min().orElseThrow();
      double bottom = nameLines.stream().mapToDouble(a -> a[1]).max().orElseThrow();
      if (bottom - top > limits.nameAreaMaxHeightMm() + 1e-9) {
        checks.add(error("emboss", SurfaceCheck.Rule.NAME_AREA, String.format(Locale.ROOT,
            "name/address lines span %.2f mm, more than %.2f", bottom - top, limits.nameAreaMaxHeightMm())));
      }
    }
  }

  private void checkIndent(List<IndentLine> lines, List<SurfaceCheck> checks) {
    for (int i = 0; i < lines.size(); i++) {
      IndentLine line = lines.get(i);
      String el = indent.get(i).name();
      Box box = lineBox(line.text(), line.font(), line.xMm(), line.yMm());
      if (!Box.ID1.contains(box)) {
        checks.add(error(el, SurfaceCheck.Rule.OUTSIDE_CARD, "line box " + box + " is not on the card"));
      }
      overChipOrStripe(el, box, line.side(), checks);
    }
  }

  private void overChipOrStripe(String el, Box box, Side side, List<SurfaceCheck> checks) {
    Box front = side == Side.FRONT ? box : box.mirrored();
    if (stock.chip() != null && stock.chip().intersects(front)) {
      checks.add(error(el, SurfaceCheck.Rule.OVER_CHIP, "line box " + front + " crosses the chip contacts "
          + stock.chip()));
    }
    if (stock.stripe() != null && stock.stripe().intersects(front.mirrored())) {
      checks.add(error(el, SurfaceCheck.Rule.OVER_STRIPE, "line box " + front.mirrored()
          + " (back) crosses the magnetic stripe " + stock.stripe()));
    }
  }

  /** @return the layout's name */
  public String name() {
    return name;
  }

  /** @return the card stock */
  public CardStock stock() {
    return stock;
  }

  /** @return the limits */
  public SurfaceLimits limits() {
    return limits;
  }

  /** @return the emboss and indent font parameters */
  public Map<EmbossFont, FontSpec> fonts() {
    return fonts;
  }

  /**
   * @param side a side
   * @return what is printed on it, if anything
   */
  public Optional<FaceLayout> face(Side side) {
    return Optional.ofNullable(faces.get(side));
  }

  /** @return the emboss lines */
  public List<EmbossSpec> emboss() {
    return emboss;
  }

  /** @return the indent lines */
  public List<IndentSpec> indent() {
    return indent;
  }

  /** @return the laser templates */
  public List<LaserTemplate> laser() {
    return laser;
  }

  /**
   * @param template a template's name
   * @return it, if the layout has it
   */
  public Optional<LaserTemplate> laserTemplate(String template) {
    return laser.stream().filter(t -> t.name().equals(template)).findFirst();
  }

  /** @return where image files resolve */
  public Path baseDir() {
    return baseDir;
  }

  @Override
  public String toString() {
    return "SurfaceLayout[" + name + ", faces " + faces.keySet() + ", " + emboss.size() + " emboss, "
        + indent.size() + " indent, " + laser.size() + " laser templates]";
  }
}
