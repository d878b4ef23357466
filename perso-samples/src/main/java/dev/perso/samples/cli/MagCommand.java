package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.Device;
import dev.perso.core.device.Devices;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepEnvironment;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.msr.Msr605Encoder;
import dev.perso.devices.msr.RawTrack;
import dev.perso.devices.msr.TrackSetting;
import dev.perso.emv.cps.ExampleCardTypes;
import dev.perso.iso7813.BitOrder;
import dev.perso.iso7813.DecodedTrack;
import dev.perso.iso7813.RawCodec;
import dev.perso.iso7813.RawFormat;
import dev.perso.iso7813.RawOptions;
import dev.perso.iso7813.TrackType;
import dev.perso.iso7813.step.MagStripeSection;
import dev.perso.iso7813.step.MagStripeStep;
import dev.perso.iso7813.step.StripeRewrite;
import dev.perso.samples.prep.DemoKeys;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso mag read|write|erase|rewrite}: a magnetic-stripe encoder (MSR206 / MSR605 / MSR606 by
 * {@code msr605:<port>}, or any stripe encoder address). Track data is masked on screen unless
 * {@code --show-data} is given. Raw mode ({@code --raw --bpc N}) encodes and decodes with the ISO 7813
 * module's raw codec.
 *
 * <pre>
 * perso mag write --device msr605:/dev/ttyUSB0 --track1 "%B4111111111111111^DOE/JOHN^2612101?" --track2 ";4111111111111111=2612101?"
 * perso mag write --device msr605:/dev/ttyUSB0 --input batch.jsonl --card 0007 --card-type debit-example
 * perso mag read --device msr605:/dev/ttyUSB0 --json
 * perso mag erase --device msr605:/dev/ttyUSB0 --track 1,2,3
 * perso mag rewrite --device msr605:/dev/ttyUSB0 --input reissue.jsonl --card-type debit-example
 * </pre>
 */
@Command(name = "mag", description = "Magnetic-stripe encoders (MSR206/MSR605/MSR606 by msr605:<port>): read, write "
    + "and verify, erase, rewrite issued cards.",
    subcommands = {MagCommand.Read.class, MagCommand.Write.class, MagCommand.Erase.class, MagCommand.Rewrite.class})
final class MagCommand extends CommandGroup {
  private static final CardTag CARD = new CardTag(1, "mag");

  /** The options every {@code mag} command shares. */
  static final class DeviceOptions {
    @Option(names = "--device", required = true, paramLabel = "ADDRESS",
        description = "The encoder, e.g. msr605:/dev/ttyUSB0?baud=9600 (parameters: see the README).")
    String device;

    @Option(names = "--show-data", description = "Print track data in clear (masked by default).")
    boolean showData;

    MagStripeEncoder open() {
      Device d = Devices.open(device);
      if (d instanceof MagStripeEncoder e) {
        return e;
      }
      d.close();
      throw new ValidationException("--device", device + " is not a magnetic-stripe encoder");
    }

    String show(int track, String chars) {
      return showData ? chars : mask(track, chars);
    }
  }

  /** The raw-mode options of read and write. */
  static final class RawMode {
    @Option(names = "--raw", description = "Raw mode: the tracks are encoded (or decoded) by the ISO 7813 raw codec.")
    boolean raw;

    @Option(names = "--bpc", paramLabel = "N", defaultValue = "8",
        description = "Raw bits per character: 8 (packed stream on every track, default), or 7 or 6 for track 1 "
            + "with 5 on tracks 2 and 3.")
    int bpc;

    @Option(names = "--leading-zeros", paramLabel = "BITS", defaultValue = "0",
        description = "Raw write: zero bits before the start sentinel (the devices' ISO default is 61, 22 on track 2).")
    int leadingZeros;

    /** @return the bits per character of a track under {@code --bpc} */
    int bpc(TrackType type) {
      if (bpc != 6 && bpc != 7 && bpc != 8) {
        throw new ValidationException("--bpc", "must be 8, 7 or 6, was " + bpc);
      }
      return bpc == 8 || type == TrackType.TRACK_1 ? bpc : 5;
    }

    RawOptions options(TrackType type) {
      RawFormat f = RawFormat.ofBpc(bpc(type), type);
      return RawOptions.builder(f).bitOrder(BitOrder.LSB_FIRST).leadingZeros(leadingZeros).build();
    }

    Msr605Encoder encoder(MagStripeEncoder e) {
      if (e instanceof Msr605Encoder m) {
        return m;
      }
      throw new ValidationException("--raw", "needs an MSR206-family encoder (msr605:, msr206:, msr606:)");
    }
  }

  @Command(name = "read", mixinStandardHelpOptions = true, description = "Read the stripe of the card at the encoder.")
  static final class Read implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DeviceOptions dev;

    @Mixin
    RawMode rawMode;

    @Override
    public void run() {
      Map<String, Object> json = new LinkedHashMap<>();
      StringBuilder text = new StringBuilder();
      try (MagStripeEncoder e = dev.open()) {
        if (rawMode.raw) {
          Map<Integer, TrackSetting> settings = new TreeMap<>();
          for (int t = 1; t <= 3; t++) {
            settings.put(t, new TrackSetting(rawMode.bpc(TrackType.of(t)), TrackSetting.iso(t).bitsPerInch()));
          }
          Map<Integer, RawTrack> read = rawMode.encoder(e).readRaw(CARD, settings);
          for (Map.Entry<Integer, RawTrack> r : read.entrySet()) {
            int t = r.getKey();
            TrackType type = TrackType.of(t);
            String decoded;
            try {
              DecodedTrack d = RawCodec.decode(type, r.getValue().data(), RawOptions.builder(
                  RawFormat.ofBpc(r.getValue().bitsPerCharacter(), type)).build());
              String s = d.text();
              decoded = dev.show(t, s.substring(1, s.length() - 1));
            } catch (RuntimeException x) {
              decoded = "(not an ISO track: " + x.getMessage() + ")";
            }
            json.put("track" + t, decoded);
            json.put("raw" + t, dev.showData ? r.getValue().data().toHex() : r.getValue().data().length() + " bytes");
            text.append("track ").append(t).append(": ").append(decoded).append('\n');
          }
        } else {
          StripeData d = e.read(CARD);
          d.tracks().forEach((t, b) -> {
            String shown = dev.show(t, ascii(b));
            json.put("track" + t, shown);
            text.append("track ").append(t).append(": ").append(shown).append('\n');
          });
        }
      }
      if (json.isEmpty()) {
        text.append("(blank stripe)\n");
      }
      output.print(spec.commandLine().getOut(), json, text.toString());
    }
  }

  @Command(name = "write", mixinStandardHelpOptions = true,
      description = {"Write tracks to the card at the encoder, read them back and compare.",
          "Tracks are given as text (with or without sentinels and LRC character, as 'perso track build' prints them), "
              + "or built from a record: --input batch.jsonl --card ID --card-type TYPE."})
  static final class Write implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DeviceOptions dev;

    @Mixin
    RawMode rawMode;

    @Option(names = "--track1", paramLabel = "TEXT", description = "Track 1, e.g. %B4111111111111111^DOE/JOHN^2612101?")
    String track1;

    @Option(names = "--track2", paramLabel = "TEXT", description = "Track 2, e.g. ;4111111111111111=2612101?")
    String track2;

    @Option(names = "--track3", paramLabel = "TEXT", description = "Track 3.")
    String track3;

    @Mixin
    RecordOptions records;

    @Option(names = "--card", paramLabel = "ID", description = "The record's id in --input.")
    String card;

    @Override
    public void run() {
      boolean text = track1 != null || track2 != null || track3 != null;
      if (text == (records.input != null)) {
        throw new ValidationException("tracks", "give --track1/--track2/--track3, or --input with --card and --card-type");
      }
      Map<Integer, String> tracks = new TreeMap<>();
      if (text) {
        put(tracks, 1, track1);
        put(tracks, 2, track2);
        put(tracks, 3, track3);
      } else {
        if (card == null) {
          throw new ValidationException("--card", "is required with --input");
        }
        StripeData d = records.withStripeStep((step, source) -> MagStripeStep.stripeData(step.tracks(records.byId(source, card))));
        d.tracks().forEach((t, b) -> tracks.put(t, ascii(b)));
      }
      try (MagStripeEncoder e = dev.open()) {
        if (rawMode.raw) {
          Map<Integer, RawTrack> raw = new TreeMap<>();
          tracks.forEach((t, chars) -> {
            TrackType type = TrackType.of(t);
            RawOptions o = rawMode.options(type);
            Bytes b = RawCodec.encode(type, type.startSentinel() + chars + type.endSentinel(), o);
            raw.put(t, RawTrack.of(b, o.format().bpc(), TrackSetting.iso(t).bitsPerInch()));
          });
          rawMode.encoder(e).writeRawAndVerify(CARD, raw);
        } else {
          Map<Integer, Bytes> m = new TreeMap<>();
          tracks.forEach((t, chars) -> m.put(t, Bytes.secret(chars.getBytes(StandardCharsets.US_ASCII))));
          StripeData data = StripeData.of(m);
          e.write(CARD, data);
          int bad = data.firstDifference(e.read(CARD));
          if (bad != 0) {
            throw new DeviceException(e.id(), DeviceFault.READ_BACK_MISMATCH, "track " + bad);
          }
        }
      }
      Map<String, Object> json = new LinkedHashMap<>();
      StringBuilder out = new StringBuilder();
      tracks.forEach((t, chars) -> {
        json.put("track" + t, dev.show(t, chars));
        out.append("track ").append(t).append(": ").append(dev.show(t, chars)).append('\n');
      });
      json.put("verified", true);
      out.append("written and verified").append(rawMode.raw ? " (raw, " + rawMode.bpc + " bpc)" : "").append('\n');
      output.print(spec.commandLine().getOut(), json, out.toString());
    }

    private static void put(Map<Integer, String> tracks, int t, String text) {
      if (text != null) {
        tracks.put(t, trackCharacters(t, text));
      }
    }
  }

  @Command(name = "erase", mixinStandardHelpOptions = true, description = "Erase tracks of the card at the encoder.")
  static final class Erase implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DeviceOptions dev;

    @Option(names = "--track", paramLabel = "N[,N...]", split = ",", description = "Tracks to erase (default 1,2,3).")
    List<Integer> tracks = new ArrayList<>(List.of(1, 2, 3));

    @Override
    public void run() {
      TreeSet<Integer> which = new TreeSet<>(tracks);
      try (MagStripeEncoder e = dev.open()) {
        e.erase(CARD, which);
      }
      output.print(spec.commandLine().getOut(), Map.of("erased", which), "erased tracks " + which);
    }
  }

  @Command(name = "rewrite", mixinStandardHelpOptions = true,
      description = {"Rewrite the stripe of an issued card: read it, find its record in --input by PAN, build the new "
          + "tracks with the card type's stripe step, erase, write and verify.",
          "Prints which fields changed, never their values."})
  static final class Rewrite implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    DeviceOptions dev;

    @Mixin
    RecordOptions records;

    @Override
    public void run() {
      if (records.input == null) {
        throw new ValidationException("--input", "is required: the records to find the card's by PAN");
      }
      StripeRewrite.RewriteReport r = records.withStripeStep((step, source) -> {
        try (MagStripeEncoder e = dev.open()) {
          return StripeRewrite.of(step, id -> records.byPan(source, id.pan())).rewrite(e, CARD);
        }
      });
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("record", r.recordId());
      json.put("pan", r.maskedPan());
      json.put("changes", r.changes());
      json.put("removed", r.removed());
      output.print(spec.commandLine().getOut(), json, "record " + r.recordId() + " (" + r.maskedPan() + "): "
          + r.summary());
    }
  }

  /** {@code --input} and {@code --card-type}: the records and the card type whose stripe step builds tracks. */
  static final class RecordOptions {
    @Option(names = "--input", paramLabel = "FILE", description = "Records (JSON Lines).")
    Path input;

    @Option(names = "--card-type", paramLabel = "FILE|NAME", defaultValue = "debit-example",
        description = "The card type whose magstripe step builds the tracks (default debit-example).")
    String cardType;

    @Mixin
    CpsCommand.LineLimit limit;

    interface Work<T> {
      T run(MagStripeStep step, Path input);
    }

    <T> T withStripeStep(Work<T> work) {
      try (CryptoBackend crypto = new SoftwareBackend(); DemoKeys keys = DemoKeys.open()) {
        StepEnvironment env = StepEnvironment.builder(Path.of("."))
            .service(CryptoBackend.class, crypto).service(KeyLookup.class, keys).build();
        CardType type = ExampleCardTypes.load(cardType, env);
        MagStripeStep step = null;
        for (PersoStep s : type.steps()) {
          if (s instanceof MagStripeStep m) {
            step = m;
          }
        }
        if (step == null) {
          throw new ValidationException("--card-type", cardType + " has no magstripe step");
        }
        return work.run(step, input);
      }
    }

    CardRecord byId(Path file, String id) {
      try (RecordSource source = CpsCommand.open(file, limit.bytes())) {
        while (source.hasNext()) {
          if (source.next() instanceof RecordInput.Read r && r.record().id().equals(id)) {
            return r.record();
          }
        }
      }
      throw new ValidationException("--card", "no record '" + id + "' in " + file);
    }

    Optional<CardRecord> byPan(Path file, String pan) {
      try (RecordSource source = CpsCommand.open(file, limit.bytes())) {
        while (source.hasNext()) {
          if (source.next() instanceof RecordInput.Read r) {
            Optional<String> p = r.record().section(MagStripeSection.NAME).map(s -> s.path("pan").asText(""));
            if (p.isPresent() && p.get().equals(pan)) {
              return Optional.of(r.record());
            }
          }
        }
      }
      return Optional.empty();
    }
  }

  /**
   * @param track 1..3
   * @param text the track with or without start sentinel, end sentinel and LRC character
   * @return the characters between the sentinels
   * @throws ValidationException naming the track when a given LRC character is wrong or text follows it
   */
  static String trackCharacters(int track, String text) {
    TrackType type = TrackType.of(track);
    String s = text.isEmpty() || text.charAt(0) != type.startSentinel() ? text : text.substring(1);
    int es = s.indexOf(type.endSentinel());
    if (es < 0) {
      return s;
    }
    String chars = s.substring(0, es);
    String after = s.substring(es + 1);
    if (after.length() > 1) {
      throw new ValidationException("--track" + track, "has characters after the end sentinel and its LRC character");
    }
    if (after.length() == 1) {
      String full = type.startSentinel() + chars + type.endSentinel();
      // The LRC character is the last character of the per-character raw form (data bits below the parity bit).
      RawOptions perChar = RawOptions.of(type, track == 1 ? 7 : 5);
      Bytes raw = RawCodec.encode(type, full, perChar);
      int lrc = raw.getUnsigned(raw.length() - 1) & ((1 << type.dataBits()) - 1);
      if (type.code(after.charAt(0)) != lrc) {
        throw new ValidationException("--track" + track, "LRC character does not match the track (should be "
            + "the one 'perso track build' prints)");
      }
    }
    return chars;
  }

  /** Masks all but the PAN's last four digits, the format code and the field separators. */
  static String mask(int track, String chars) {
    TrackType type = TrackType.of(track);
    StringBuilder out = new StringBuilder(chars.length());
    int start = track == 1 && !chars.isEmpty() ? 1 : 0;
    int fs = chars.indexOf(type.fieldSeparator());
    int panEnd = fs < 0 ? chars.length() : fs;
    for (int i = 0; i < chars.length(); i++) {
      char c = chars.charAt(i);
      boolean keep = (i < start) || c == type.fieldSeparator() || (i >= panEnd - 4 && i < panEnd && track != 3);
      out.append(keep ? c : '*');
    }
    return out.toString();
  }

  static String ascii(Bytes b) {
    return new String(b.toByteArray(), StandardCharsets.US_ASCII);
  }
}
