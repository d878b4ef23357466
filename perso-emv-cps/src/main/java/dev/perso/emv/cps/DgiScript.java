package dev.perso.emv.cps;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.LineRecordSource;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-text DGI script for hand-written tests: one statement per line.
 *
 * <pre>
 * card 0001
 * app A0000000031010 vsdc-example
 * dgi 9102 A5 0C 50 0A 56495341204445424954
 * dgi 8000 kek=transport-kek 1122334400667788 1122334455007788 8B4F854F0831FBF2 ...
 * mag pan=4761739001010010
 * surface embossLine1=4761 7390 0101 0010
 * card 0002
 * ...
 * </pre>
 *
 * <p>{@code card ID} starts a card; {@code app AID PROFILE} starts an application on it; {@code dgi
 * DGI [kek=NAME] HEX...} adds a DGI to the current application (hex may contain spaces; {@code kek=}
 * says the data is encrypted under that transport key); {@code mag NAME=VALUE} and {@code surface
 * NAME=VALUE} add stripe and surface fields. Each card becomes a {@link CardRecord} with an
 * {@link ApplicationsSection applications} section and, when given, {@code magstripe} and {@code surface}
 * sections of text fields.
 *
 * <p>Comments: a line whose first non-blank character is {@code #} is a comment. On {@code card},
 * {@code app} and {@code dgi} lines a {@code #} at the start of a word (after a space or tab) starts a
 * comment to the end of the line; a {@code #} inside a word ({@code card A#1}) is data. On {@code mag} and
 * {@code surface} lines the value is everything after the first {@code =} to the end of the line, {@code #}
 * included ({@code surface embossLine2=ACME #1} is the text {@code ACME #1}), so those lines take no
 * trailing comment.
 *
 * <p>Errors reject that card only, naming the file, the line, the card and the field (e.g. {@code
 * cards.dgi:7 card 0002 dgi 9102 data: not hex: ...}), never a value; reading resumes at the next
 * {@code card}. A DGI given twice in one application and a stripe or surface field given twice in one
 * card are errors. A line that is not UTF-8 (or is longer than the cap) is an error of the card it belongs
 * to, or starts a rejected card when it reads as a {@code card} line. Lines are at most 1 MiB unless
 * {@link #open(Path, int)} or {@link #of(InputStream, String, int)} sets another cap.
 *
 * <pre>{@code
 * try (RecordSource cards = DgiScript.open(Path.of("test-cards.dgi"))) { ... }
 * RecordSource one = DgiScript.of("card 1\napp A0000000031010 vsdc-example\ndgi 9010 0303\n", "inline");
 * }</pre>
 */
public final class DgiScript {
  private DgiScript() {}

  /**
   * @param file a DGI script (UTF-8)
   * @return a streaming source over its cards
   * @throws dev.perso.core.TransportException if the file cannot be opened or is a directory
   */
  public static RecordSource open(Path file) {
    return open(file, LineRecordSource.DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * @param file a DGI script (UTF-8)
   * @param maxLineBytes the longest line accepted, in bytes, 1..{@link LineRecordSource#MAX_MAX_LINE_BYTES}
   * @return a streaming source over its cards
   * @throws dev.perso.core.TransportException if the file cannot be opened or is a directory
   * @throws ValidationException naming {@code maxLineBytes} if it is out of range
   */
  public static RecordSource open(Path file, int maxLineBytes) {
    LineRecordSource.checkMaxLineBytes(maxLineBytes);
    return new Source(Source.openScript(file), file.getFileName().toString(), maxLineBytes);
  }

  /**
   * @param script the script text
   * @param name its name for locations
   * @return a source over its cards
   */
  public static RecordSource of(String script, String name) {
    return of(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), name);
  }

  /**
   * @param in the script's bytes (UTF-8); closed by the source
   * @param name its name for locations
   * @return a streaming source over its cards
   */
  public static RecordSource of(InputStream in, String name) {
    return of(in, name, LineRecordSource.DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * @param in the script's bytes (UTF-8); closed by the source
   * @param name its name for locations
   * @param maxLineBytes the longest line accepted, in bytes, 1..{@link LineRecordSource#MAX_MAX_LINE_BYTES}
   * @return a streaming source over its cards
   * @throws ValidationException naming {@code maxLineBytes} if it is out of range
   */
  public static RecordSource of(InputStream in, String name, int maxLineBytes) {
    return new Source(in, name, maxLineBytes);
  }

  private static final class CardBuilder {
    final String cardId;
    final String location;
    final List<ApplicationData> apps = new ArrayList<>();
    final Map<String, String> mag = new LinkedHashMap<>();
    final Map<String, String> surface = new LinkedHashMap<>();
    Bytes aid;
    String profile;
    String appAt;
    List<InputDgi> dgis;
    PersoException error;

    CardBuilder(String cardId, String location) {
      this.cardId = cardId;
      this.location = location;
    }

    /** @return {@code at card ID}, the prefix of every message about this card */
    String where(String at) {
      return cardId == null ? at : at + " card " + cardId;
    }

    void closeApp() {
      if (aid != null) {
        try {
          apps.add(new ApplicationData(aid, profile, dgis));
        } catch (ValidationException e) {
          throw new ValidationException(appAt + " " + e.field(), e.rule());
        } finally {
          aid = null;
        }
      }
    }

    RecordInput build() {
      if (error != null) {
        return new RecordInput.Rejected(location, cardId, error);
      }
      try {
        closeApp();
        if (apps.isEmpty()) {
          throw new ValidationException(where(location), "has no application");
        }
        CardRecord.Builder b = CardRecord.builder(cardId).location(location)
            .section(ApplicationsSection.NAME, ApplicationsSection.encode(apps));
        if (!mag.isEmpty()) {
          b.section("magstripe", fields(mag));
        }
        if (!surface.isEmpty()) {
          b.section("surface", fields(surface));
        }
        return new RecordInput.Read(b.build(), location);
      } catch (PersoException e) {
        return new RecordInput.Rejected(location, cardId, e);
      }
    }

    private static ObjectNode fields(Map<String, String> values) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      values.forEach(o::put);
      return o;
    }
  }

  private static final class Source extends LineRecordSource {
    /** A card begun by a bad {@code card} line that ended the previous card. */
    private CardBuilder carried;

    Source(InputStream in, String name, int maxLineBytes) {
      super(in, name, maxLineBytes);
    }

    static InputStream openScript(Path file) {
      return openFile(file, "DGI script");
    }

    @Override
    protected RecordInput read() {
      CardBuilder card = carried;
      carried = null;
      while (true) {
        String line;
        try {
          line = readLine();
        } catch (MalformedDataException e) {
          // A line that is not UTF-8 (or too long) is an error of the card it belongs to; when it reads as a
          // 'card' line it starts a new card, rejected for it, so the previous card is not blamed for it and
          // the new card's lines are not taken for the previous card's.
          String[] bad = words(strip(lastBadLine() == null ? "" : lastBadLine()));
          if (bad[0].equals("card")) {
            CardBuilder next = new CardBuilder(plausibleId(bad[1]), location());
            next.error = e;
            if (card != null) {
              carried = next;
              return card.build();
            }
            card = next;
            continue;
          }
          if (card == null) {
            card = new CardBuilder(null, location());
          }
          if (card.error == null) {
            card.error = e;
          }
          continue;
        }
        if (line == null) {
          break;
        }
        String[] words = words(strip(line));
        String keyword = words[0];
        if (keyword.isEmpty()) {
          continue;
        }
        String rest = words[1];
        String at = location();
        if (keyword.equals("card")) {
          if (card != null) {
            pushBack(line);
            return card.build();
          }
          if (rest.isEmpty() || rest.contains(" ") || rest.contains("\t")) {
            card = new CardBuilder(null, at);
            card.error = new ValidationException(at + " card", "needs exactly one card id");
          } else {
            card = new CardBuilder(rest, at);
          }
          continue;
        }
        if (card == null) {
          card = new CardBuilder(null, at);
          card.error = new ValidationException(at + " " + keyword, "a 'card ID' line must come first");
          continue;
        }
        if (card.error != null) {
          continue;   // skip to the next card
        }
        try {
          statement(card, keyword, keyword.equals("mag") || keyword.equals("surface") ? valueOf(line) : rest,
              card.where(at));
        } catch (PersoException e) {
          card.error = e;
        }
      }
      return card == null ? null : card.build();
    }

    /** @return the keyword and the rest (stripped), {@code ["", ""]} for an empty line */
    private static String[] words(String s) {
      String[] w = s.split("\\s+", 2);
      return new String[] {w[0], w.length > 1 ? w[1] : ""};
    }

    /** @return a card id read from a bad line if it is a plausible id, else null */
    private static String plausibleId(String id) {
      return !id.isEmpty() && id.length() <= 64 && id.chars().allMatch(c -> c > 0x20 && c < 0x7F) ? id : null;
    }

    /** @return the line without its comment: a whole-line comment, or a '#' at the start of a word */
    private static String strip(String line) {
      String s = line.strip();
      if (s.startsWith("#")) {
        return "";
      }
      String[] w = words(s);
      if (w[0].equals("mag") || w[0].equals("surface")) {
        return s;   // NAME=VALUE to the end of the line, '#' included
      }
      for (int i = 1; i < s.length(); i++) {
        if (s.charAt(i) == '#' && Character.isWhitespace(s.charAt(i - 1))) {
          return s.substring(0, i).strip();
        }
      }
      return s;
    }

    /** @return the text after the keyword of a mag or surface line, unstripped of '#' */
    private static String valueOf(String line) {
      return words(line.strip())[1];
    }

    private static void statement(CardBuilder card, String keyword, String rest, String at) {
      switch (keyword) {
        case "app": {
          String[] w = rest.split("\\s+");
          if (w.length != 2) {
            throw new ValidationException(at + " app", "needs an AID and a profile name");
          }
          card.closeApp();
          card.aid = hex(w[0], at + " app AID");
          card.profile = w[1];
          card.appAt = at + " app " + w[0];
          card.dgis = new ArrayList<>();
          break;
        }
        case "dgi": {
          if (card.aid == null) {
            throw new ValidationException(at + " dgi", "an 'app' line must come before DGIs");
          }
          String[] w = rest.split("\\s+", 2);
          Bytes id = hex(w[0], at + " dgi");
          if (id.length() != 2) {
            throw new ValidationException(at + " dgi", "must be 4 hex digits");
          }
          String data = w.length > 1 ? w[1] : "";
          String kek = null;
          if (data.startsWith("kek=")) {
            String[] k = data.split("\\s+", 2);
            kek = k[0].substring(4);
            data = k.length > 1 ? k[1] : "";
          }
          String field = at + " dgi " + w[0].toUpperCase(java.util.Locale.ROOT);
          Dgi dgi;
          try {
            dgi = Dgi.of(id.getUnsigned(0) << 8 | id.getUnsigned(1), hex(data, field + " data"));
          } catch (ValidationException e) {
            throw e.field().startsWith(field) ? e : new ValidationException(field + " data", e.rule());
          }
          if (kek != null && kek.isEmpty()) {
            throw new ValidationException(field + " kek", "must name a transport key");
          }
          card.dgis.add(kek == null ? InputDgi.clear(dgi) : InputDgi.underKek(dgi, kek));
          break;
        }
        case "mag":
        case "surface": {
          int eq = rest.indexOf('=');
          if (eq <= 0) {
            throw new ValidationException(at + " " + keyword, "needs NAME=VALUE");
          }
          String name = rest.substring(0, eq).strip();
          if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new ValidationException(at + " " + keyword, "needs NAME=VALUE with a NAME without spaces");
          }
          Map<String, String> fields = keyword.equals("mag") ? card.mag : card.surface;
          if (fields.putIfAbsent(name, rest.substring(eq + 1).strip()) != null) {
            throw new ValidationException(at + " " + keyword + " " + name, "given twice for this card");
          }
          break;
        }
        default:
          throw new ValidationException(at + " " + keyword, "unknown statement (card, app, dgi, mag, surface)");
      }
    }

    private static Bytes hex(String s, String field) {
      try {
        return Bytes.fromHex(s);
      } catch (MalformedDataException e) {
        throw new ValidationException(field, "not hex: " + e.reason() + " at character " + e.offset());
      }
    }

  }
}
