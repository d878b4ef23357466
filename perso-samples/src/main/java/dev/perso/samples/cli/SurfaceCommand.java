package dev.perso.samples.cli;

import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.surface.Side;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.surface.CardRenderer;
import dev.perso.devices.surface.CardSurface;
import dev.perso.devices.surface.Preview;
import dev.perso.devices.surface.SurfaceCheck;
import dev.perso.devices.surface.SurfacePlan;
import dev.perso.devices.surface.SurfaceStep;
import dev.perso.emv.cps.ExampleCardTypes;
import dev.perso.samples.io.PrivateFiles;
import dev.perso.samples.prep.DemoKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso surface preview}: draws one card of a batch, as the card type's surface steps would make it.
 *
 * <pre>
 * perso surface preview --card-type debit-example --input DIR/perso-data.jsonl --card 0001 --side front --out front.png
 * perso surface preview --card-type my-type.json --input batch.jsonl --card 0042 --side back --out back.png --dpi 600
 * </pre>
 */
@Command(name = "surface", description = "Surface personalization: previews of cards.",
    subcommands = {SurfaceCommand.PreviewCommand.class})
final class SurfaceCommand extends CommandGroup {

  /** {@code perso surface preview}. */
  @Command(name = "preview", description = "Draw one side of one card of a batch as a PNG: what the card type's print, "
      + "laser, indent and emboss steps would put on it (checked against the layout's ISO 7811 rules first).")
  static final class PreviewCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--card-type", required = true, paramLabel = "TYPE",
        description = "The card type: a JSON file, or a shipped example (debit-example).")
    String cardType;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The perso data (JSON Lines).")
    Path input;

    @Option(names = "--card", required = true, paramLabel = "ID", description = "The record's card id.")
    String card;

    @Option(names = "--side", required = true, paramLabel = "front|back", description = "Which side.")
    String side;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The PNG to write (owner-only: "
        + "a card shows its PAN).")
    Path out;

    @Option(names = "--dpi", defaultValue = "300", paramLabel = "N", description = "Resolution (default 300).")
    int dpi;

    @Override
    public void run() {
      Side s = switch (side.toLowerCase(Locale.ROOT)) {
        case "front" -> Side.FRONT;
        case "back" -> Side.BACK;
        default -> throw new ValidationException("--side", "must be front or back");
      };
      try (CryptoBackend crypto = new SoftwareBackend(); DemoKeys keys = DemoKeys.open()) {
        StepEnvironment env = StepEnvironment.builder(Path.of("."))
            .service(CryptoBackend.class, crypto).service(KeyLookup.class, keys).build();
        CardType type = ExampleCardTypes.load(cardType, env);
        List<SurfaceStep> steps = new ArrayList<>();
        for (PersoStep step : type.steps()) {
          if (step instanceof SurfaceStep ss) {
            steps.add(ss);
          }
        }
        if (steps.isEmpty()) {
          throw new ValidationException("--card-type", "card type " + type.name() + " has no surface step");
        }
        CardRecord record = find();
        type.validate(record);
        // Steps of one card type share a layout in the shipped examples; each step adds its part with its own.
        CardSurface surface = CardSurface.blank();
        List<SurfaceCheck> warnings = new ArrayList<>();
        for (SurfaceStep step : steps) {
          SurfacePlan plan = step.layout().plan(record);
          warnings.addAll(plan.warnings());
          surface = step.apply(plan, surface);
        }
        Preview preview = CardRenderer.of(steps.get(0).layout()).render(surface, s, dpi);
        try (OutputStream o = PrivateFiles.newFile("--out", out)) {
          o.write(CardRenderer.png(preview.image()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("card", card);
        json.put("side", s.name().toLowerCase(Locale.ROOT));
        json.put("out", out.toString());
        json.put("width", preview.image().getWidth());
        json.put("height", preview.image().getHeight());
        json.put("dpi", dpi);
        List<String> all = new ArrayList<>(preview.warnings());
        warnings.stream().map(SurfaceCheck::toString).distinct().forEach(all::add);
        json.put("warnings", all);
        StringBuilder text = new StringBuilder("card " + card + " " + json.get("side") + ": " + out + " ("
            + preview.image().getWidth() + " x " + preview.image().getHeight() + " px at " + dpi + " dpi)");
        all.forEach(w -> text.append("\nwarning: ").append(w));
        output.print(spec.commandLine().getOut(), json, text.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private CardRecord find() {
      try (RecordSource records = JsonLinesRecords.open(input)) {
        while (records.hasNext()) {
          RecordInput in = records.next();
          if (in instanceof RecordInput.Read r && r.record().id().equals(card)) {
            return r.record();
          }
          if (in instanceof RecordInput.Rejected bad && bad.cardId().equals(card)) {
            throw bad.reason();
          }
        }
      }
      throw new ValidationException("--card", "no record " + card + " in " + input);
    }
  }
}
