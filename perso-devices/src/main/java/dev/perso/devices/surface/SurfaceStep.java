package dev.perso.devices.surface;

import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepContext;
import dev.perso.core.surface.PrintJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The surface steps of a card type: emboss (with topping), indent, print and laser. Each claims the
 * record's {@code surface} section, needs its device role, fills the card type's {@link SurfaceLayout}
 * with the record and checks it before any card is fed ({@link #validate}), then hands its part to the
 * device. What a step hands over is what {@link #apply} adds to a {@link CardSurface}, so a preview drawn
 * from the record is what the devices are asked to do.
 *
 * <pre>{@code
 * SurfaceLayout layout = SurfaceLayout.load("debit-example", Path.of("."));
 * CardType debit = CardType.builder("debit")
 *     .step(SurfaceStep.print(layout)).step(SurfaceStep.emboss(layout)).step(SurfaceStep.indent(layout))
 *     .build();
 * }</pre>
 */
public final class SurfaceStep implements PersoStep {
  /** The record section surface steps read. */
  public static final String SECTION = "surface";
  /** The resolution faces are rendered at for a printer unless configured (300 dpi, as card printers print). */
  public static final int DEFAULT_PRINT_DPI = 300;

  /** What the step does. */
  public enum Kind {
    /** Emboss lines with topping: needs an {@link DeviceRole#EMBOSSER}. */
    EMBOSS("emboss", DeviceRole.EMBOSSER),
    /** Indent lines: needs an {@link DeviceRole#INDENTER}. */
    INDENT("indent", DeviceRole.INDENTER),
    /** Printed faces: needs a {@link DeviceRole#PRINTER}. */
    PRINT("print", DeviceRole.PRINTER),
    /** Laser templates: needs a {@link DeviceRole#LASER_ENGRAVER}. */
    LASER("laser", DeviceRole.LASER_ENGRAVER);

    private final String type;
    private final DeviceRole<?> role;

    Kind(String type, DeviceRole<?> role) {
      this.type = type;
      this.role = role;
    }

    /** @return the step type in card-type files and the default step name */
    public String type() {
      return type;
    }
  }

  private final Kind kind;
  private final String name;
  private final SurfaceLayout layout;
  private final CardRenderer renderer;
  private final int dpi;

  private SurfaceStep(Kind kind, String name, SurfaceLayout layout, int dpi) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.layout = Objects.requireNonNull(layout, "layout");
    if (name == null || name.isBlank()) {
      throw new ValidationException("name", "a step needs a name");
    }
    this.name = name;
    CardRenderer.size(dpi);
    this.dpi = dpi;
    this.renderer = CardRenderer.of(layout);
    boolean empty = switch (kind) {
      case EMBOSS -> layout.emboss().isEmpty();
      case INDENT -> layout.indent().isEmpty();
      case PRINT -> layout.face(dev.perso.core.surface.Side.FRONT).isEmpty()
          && layout.face(dev.perso.core.surface.Side.BACK).isEmpty();
      case LASER -> layout.laser().isEmpty();
    };
    if (empty) {
      throw new ValidationException("layout", "surface layout " + layout.name() + " has nothing to " + kind.type());
    }
  }

  /**
   * @param layout the layout
   * @return a step named {@code emboss} that embosses the layout's emboss lines
   */
  public static SurfaceStep emboss(SurfaceLayout layout) {
    return of(Kind.EMBOSS, layout);
  }

  /**
   * @param layout the layout
   * @return a step named {@code indent}
   */
  public static SurfaceStep indent(SurfaceLayout layout) {
    return of(Kind.INDENT, layout);
  }

  /**
   * @param layout the layout
   * @return a step named {@code print}, rendering faces at 300 dpi
   */
  public static SurfaceStep print(SurfaceLayout layout) {
    return of(Kind.PRINT, layout);
  }

  /**
   * @param layout the layout
   * @return a step named {@code laser}
   */
  public static SurfaceStep laser(SurfaceLayout layout) {
    return of(Kind.LASER, layout);
  }

  /**
   * @param kind what the step does
   * @param layout the layout
   * @return a step named as its kind's type
   */
  public static SurfaceStep of(Kind kind, SurfaceLayout layout) {
    return new SurfaceStep(kind, kind.type(), layout, DEFAULT_PRINT_DPI);
  }

  /**
   * @param name the step's name in its card type
   * @param dpi the printer's resolution (print steps)
   * @return a variant of this step
   */
  public SurfaceStep with(String name, int dpi) {
    return new SurfaceStep(kind, name, layout, dpi);
  }

  /** @return what the step does */
  public Kind kind() {
    return kind;
  }

  /** @return the layout */
  public SurfaceLayout layout() {
    return layout;
  }

  /** @return the print resolution, dpi */
  public int dpi() {
    return dpi;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<DeviceRole<?>> roles() {
    return Set.of(kind.role);
  }

  @Override
  public Set<String> sections() {
    return Set.of(SECTION);
  }

  @Override
  public void validate(CardRecord record) {
    layout.plan(record);
  }

  /**
   * Adds what this step puts on a card made from a record: the same jobs {@link #run} hands to its device.
   *
   * @param plan the layout filled with the record ({@code layout().plan(record)})
   * @param surface what is on the card so far
   * @return what is on it after this step
   */
  public CardSurface apply(SurfacePlan plan, CardSurface surface) {
    return switch (kind) {
      case EMBOSS -> new CardSurface(concat(surface.emboss(), plan.emboss()), surface.indent(), surface.prints(),
          surface.laser());
      case INDENT -> new CardSurface(surface.emboss(), concat(surface.indent(), plan.indent()), surface.prints(),
          surface.laser());
      case PRINT -> new CardSurface(surface.emboss(), surface.indent(), concat(surface.prints(),
          List.of(renderer.printJob(plan, dpi))), surface.laser());
      case LASER -> new CardSurface(surface.emboss(), surface.indent(), surface.prints(),
          concat(surface.laser(), plan.laser()));
    };
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Override
  public void run(StepContext ctx) {
    SurfacePlan plan = layout.plan(ctx.record());
    switch (kind) {
      case EMBOSS -> {
        var embosser = ctx.device(DeviceRole.EMBOSSER);
        ctx.markWritten();
        embosser.emboss(ctx.card(), plan.emboss());
      }
      case INDENT -> {
        var indenter = ctx.device(DeviceRole.INDENTER);
        ctx.markWritten();
        indenter.indent(ctx.card(), plan.indent());
      }
      case PRINT -> {
        PrintJob job = renderer.printJob(plan, dpi);
        var printer = ctx.device(DeviceRole.PRINTER);
        ctx.markWritten();
        printer.print(ctx.card(), job);
      }
      case LASER -> {
        var laser = ctx.device(DeviceRole.LASER_ENGRAVER);
        ctx.markWritten();
        for (var job : plan.laser()) {
          ctx.checkCancelled();
          laser.engrave(ctx.card(), job);
        }
      }
      default -> throw new IllegalStateException(kind.name());
    }
  }

  @Override
  public String toString() {
    return "SurfaceStep[" + name + ", " + kind.type() + ", layout " + layout.name() + "]";
  }
}
