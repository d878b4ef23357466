package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.ValidationException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.iso7813.DecodedTrack;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.MagStripe;
import dev.perso.iso7813.Parsed;
import dev.perso.iso7813.RawOptions;
import dev.perso.iso7813.ServiceCode;
import dev.perso.iso7813.StripeKeys;
import dev.perso.iso7813.StripeRecord;
import dev.perso.iso7813.Track;
import dev.perso.iso7813.Track1;
import dev.perso.iso7813.Track2;
import dev.perso.iso7813.Track3;
import dev.perso.iso7813.TrackType;
import dev.perso.iso7813.Tracks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso track build|parse|decode-raw}: magnetic stripe tracks (ISO/IEC 7813, ISO/IEC 4909). */
@Command(name = "track", description = "Build, parse and raw-decode magnetic stripe tracks (ISO/IEC 7813 and 4909).",
    mixinStandardHelpOptions = true,
    subcommands = {TrackCommand.Build.class, TrackCommand.Parse.class, TrackCommand.DecodeRaw.class})
final class TrackCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "build", mixinStandardHelpOptions = true,
      description = {"Build track texts from fields and print them, one per line.",
          "Discretionary data is either given with --dd, or filled by an example layout (--layout pvv-cvv: PVKI PVV CVV; "
              + "--layout cvv: 0000 CVV) with CVV/PVV computed in software from --cvk/--pvk.",
          "With --raw --bpc N the raw-write bytes (LSB first, no leading zeros) are added."})
  static final class Build implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--pan", required = true, paramLabel = "DIGITS", description = "Primary account number (up to 19 digits, Luhn-checked).")
    String pan;

    @Option(names = "--name", paramLabel = "SURNAME/FIRST", description = "Cardholder name for track 1 (2-26 characters).")
    String name;

    @Option(names = "--expiry", paramLabel = "YYMM", description = "Expiry date.")
    String expiry;

    @Option(names = "--service-code", paramLabel = "DDD", description = "Service code.")
    String serviceCode;

    @Option(names = "--country-code", paramLabel = "DDD", description = "Country code (only for PANs starting with 59).")
    String countryCode;

    @Option(names = "--dd", paramLabel = "DIGITS", description = "Discretionary data (same on tracks 1 and 2).")
    String dd;

    @Option(names = "--layout", paramLabel = "NAME", description = "Example discretionary-data layout: pvv-cvv or cvv.")
    String layout;

    @Option(names = "--cvk", paramLabel = "KEY", description = "CVK A||B (16 bytes) for the layout's CVV: "
        + KeyInput.SYNTAX + ".")
    String cvk;

    @Option(names = "--pvk", paramLabel = "KEY", description = "PVK (8 or 16 bytes) for the layout's PVV: "
        + KeyInput.SYNTAX + ".")
    String pvk;

    @Option(names = "--pvki", paramLabel = "D", description = "PIN verification key index 0-9.")
    Integer pvki;

    @Option(names = "--pin", paramLabel = "DDDD", description = "PIN for the PVV.")
    String pin;

    @Option(names = "--track", paramLabel = "1|2|3|all", description = "Which tracks to build (default: 1 and 2).")
    String track;

    @Option(names = "--raw", description = "Add the raw-write bytes of each track (hex, LSB first, no leading zeros).")
    boolean raw;

    @Option(names = "--bpc", paramLabel = "N", defaultValue = "8",
        description = "Bits per character for --raw: 8 (packed stream), 7 or 6 (track 1), 5 (tracks 2, 3). Default 8.")
    int bpc;

    @Option(names = "--no-luhn-check", description = "Do not check the PAN's Luhn digit (test cards only).")
    boolean noLuhn;

    @Override
    public void run() {
      List<TrackType> types = tracks(track);
      if (dd != null && layout != null) {
        throw new ValidationException("dd", "give either --dd or --layout, not both");
      }
      StripeRecord.Builder rb = StripeRecord.builder().pan(pan).countryCode(countryCode).name(name).expiry(expiry)
          .serviceCode(serviceCode).luhnCheck(!noLuhn);
      if (pvki != null) {
        rb.pvki(pvki);
      }
      if (pin != null) {
        rb.pin(pin);
      }
      StripeRecord rec = rb.build();
      Track1 t1 = null;
      Track2 t2 = null;
      if (layout != null) {
        IssuerLayout l = IssuerLayout.example(layout.toLowerCase(Locale.ROOT)).orElseThrow(() ->
            new ValidationException("layout", "must be one of " + IssuerLayout.examples().keySet()));
        Bytes cvkBytes = KeyInput.read(spec, "--cvk", cvk);
        Bytes pvkBytes = KeyInput.read(spec, "--pvk", pvk);
        try (ClearKeyRef c = cvkBytes == null ? null : ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK,
                KeyInput.requireLength("--cvk", cvkBytes, 16));
             ClearKeyRef p = pvkBytes == null ? null : ClearKeyRef.of(pvkAlgorithm(pvkBytes), KeyUsage.PVK, pvkBytes)) {
          MagStripe m = l.build(rec, StripeKeys.of(new SoftwareBackend(), c, p));
          if (types.contains(TrackType.TRACK_1)) {
            t1 = m.track1().orElseThrow(() -> new ValidationException("name", "required for track 1 (--name SURNAME/FIRST)"));
          }
          t2 = m.track2().orElseThrow();
        }
      } else {
        String d = dd == null ? "" : dd;
        if (types.contains(TrackType.TRACK_1)) {
          if (name == null) {
            throw new ValidationException("name", "required for track 1 (--name SURNAME/FIRST)");
          }
          t1 = rec.track1(d).build();
        }
        t2 = rec.track2(d).build();
      }
      List<Track> out = new ArrayList<>();
      if (types.contains(TrackType.TRACK_1)) {
        out.add(t1);
      }
      if (types.contains(TrackType.TRACK_2)) {
        out.add(t2);
      }
      if (types.contains(TrackType.TRACK_3)) {
        out.add(Track3.builder().pan(pan).expiry(expiry).luhnCheck(!noLuhn).build());
      }
      Map<String, Object> json = new LinkedHashMap<>();
      StringBuilder text = new StringBuilder();
      for (Track t : out) {
        json.put("track" + t.type().number(), t.text());
        text.append(t.text()).append('\n');
      }
      for (Track t : out) {
        json.put("lrc" + t.type().number(), t.lrcHex());
      }
      if (raw) {
        for (Track t : out) {
          String hex = t.encode(RawOptions.of(t.type(), bpc)).toHex();
          json.put("raw" + t.type().number(), hex);
          text.append("raw").append(t.type().number()).append(' ').append(hex).append('\n');
        }
      }
      output.print(spec.commandLine().getOut(), json, text.toString());
    }

    private static KeyAlgorithm pvkAlgorithm(Bytes pvk) {
      return KeyInput.requireLength("--pvk", pvk, 8, 16).length() == 8 ? KeyAlgorithm.DES : KeyAlgorithm.TDES_2KEY;
    }

    private static List<TrackType> tracks(String t) {
      if (t == null) {
        return List.of(TrackType.TRACK_1, TrackType.TRACK_2);
      }
      return switch (t.toLowerCase(Locale.ROOT)) {
        case "1" -> List.of(TrackType.TRACK_1);
        case "2" -> List.of(TrackType.TRACK_2);
        case "3" -> List.of(TrackType.TRACK_3);
        case "all" -> List.of(TrackType.TRACK_1, TrackType.TRACK_2, TrackType.TRACK_3);
        default -> throw new ValidationException("track", "must be 1, 2, 3 or all");
      };
    }
  }

  @Command(name = "parse", mixinStandardHelpOptions = true,
      description = {"Parse track text into its fields. The track is recognised by its start sentinel.",
          "Strict by default (ISO exactly); --lenient accepts what readers send and lists what it tolerated."})
  static final class Parse implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "TEXT", description = "Track text, e.g. ';4111111111111111=2612101?'.")
    String text;

    @Option(names = "--lenient", description = "Accept whitespace, a trailing LRC character, missing sentinels, etc.")
    boolean lenient;

    @Override
    public void run() {
      Parsed<Track> p = lenient ? Tracks.parseLenient(text) : Tracks.parse(text);
      Map<String, Object> json = new LinkedHashMap<>();
      Track t = p.value();
      json.put("track", t.type().number());
      if (t instanceof Track1 t1) {
        json.put("formatCode", "B");
        json.put("pan", t1.pan());
        t1.countryCode().ifPresent(c -> json.put("countryCode", c));
        json.put("name", t1.name());
        json.put("expiry", t1.expiry().orElse(null));
        serviceCode(json, t1.serviceCode().orElse(null));
        json.put("discretionaryData", t1.discretionaryData());
      } else if (t instanceof Track2 t2) {
        json.put("pan", t2.pan());
        t2.countryCode().ifPresent(c -> json.put("countryCode", c));
        json.put("expiry", t2.expiry().orElse(null));
        serviceCode(json, t2.serviceCode().orElse(null));
        json.put("discretionaryData", t2.discretionaryData());
      } else if (t instanceof Track3 t3) {
        t3.fields().forEach((f, v) -> json.put(camel(f.name()), v));
      }
      json.put("lrc", t.lrcHex());
      json.put("tolerated", p.tolerated());
      StringBuilder s = new StringBuilder("Track ").append(t.type().number()).append('\n');
      for (Map.Entry<String, Object> e : json.entrySet()) {
        if (e.getKey().equals("track") || e.getKey().equals("tolerated")) {
          continue;
        }
        s.append(String.format("  %-24s %s%n", e.getKey(), e.getValue() == null ? "(absent)" : e.getValue()));
      }
      for (String note : p.tolerated()) {
        s.append("  tolerated: ").append(note).append('\n');
      }
      output.print(spec.commandLine().getOut(), json, s.toString());
    }

    private static void serviceCode(Map<String, Object> json, String sc) {
      json.put("serviceCode", sc);
      if (sc != null && ServiceCode.isValid(sc)) {
        json.put("serviceCodeMeaning", ServiceCode.of(sc).describe());
      }
    }

    private static String camel(String enumName) {
      StringBuilder b = new StringBuilder();
      boolean up = false;
      for (char c : enumName.toLowerCase(Locale.ROOT).toCharArray()) {
        if (c == '_') {
          up = true;
        } else {
          b.append(up ? Character.toUpperCase(c) : c);
          up = false;
        }
      }
      return b.toString();
    }
  }

  @Command(name = "decode-raw", mixinStandardHelpOptions = true,
      description = {"Decode raw track bytes back to text, checking parity and LRC and detecting a reverse swipe.",
          "At 8 bpc the bytes are taken LSB first (raw-write form); add --msb-first for what an MSR206/605 raw read returns."})
  static final class DecodeRaw implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "HEX", description = "The raw bytes in hex.")
    String hex;

    @Option(names = "--track", required = true, paramLabel = "1|2|3", description = "The track the bytes came from.")
    int track;

    @Option(names = "--bpc", required = true, paramLabel = "N", description = "Bits per character: 8, 7, 6 or 5.")
    int bpc;

    @Option(names = "--msb-first", description = "Packed bytes are MSB first (MSR raw read form).")
    boolean msbFirst;

    @Override
    public void run() {
      TrackType type = TrackType.of(track);
      RawOptions o = RawOptions.of(type, bpc);
      if (msbFirst) {
        o = o.newBuilder().bitOrder(dev.perso.iso7813.BitOrder.MSB_FIRST).build();
      }
      DecodedTrack d = dev.perso.iso7813.RawCodec.decode(type, CryptoCommand.hex("HEX", hex), o);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("track", type.number());
      json.put("text", d.text());
      json.put("lrc", Hex.byteToHex(d.lrc()));
      json.put("direction", d.direction().name());
      json.put("startBit", d.startBit());
      output.print(spec.commandLine().getOut(), json, d.text());
    }
  }
}
