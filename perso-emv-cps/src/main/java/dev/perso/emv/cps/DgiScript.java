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
 * A plain-text DGI script for hand-written tests: one statement per line, {@code #} starts a comment.
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
 * sections of text fields. An error rejects that card only, naming the line; reading resumes at the next
 * {@code card}.
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
   */
  public static RecordSource open(Path file) {
    return open(file, LineRecordSource.MAX_LINE_BYTES);
  }

  /**
   * @param file a DGI script (UTF-8)
   * @param maxLineBytes the longest line accepted, in bytes (a longer line rejects its card only)
   * @return a streaming source over its cards
   */
  public static RecordSource open(Path file, int maxLineBytes) {
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
    return new Source(in, name, LineRecordSource.MAX_LINE_BYTES);
  }

  private static final class CardBuilder {
    final String cardId;
    final String location;
    final List<ApplicationData> apps = new ArrayList<>();
    final Map<String, String> mag = new LinkedHashMap<>();
    final Map<String, String> surface = new LinkedHashMap<>();
    Bytes aid;
    String profile;
    List<InputDgi> dgis;
    PersoException error;

    CardBuilder(String cardId, String location) {
      this.cardId = cardId;
      this.location = location;
    }

    void closeApp() {
      if (aid != null) {
        apps.add(new ApplicationData(aid, profile, dgis));
        aid = null;
      }
    }

    RecordInput build() {
      if (error != null) {
        return new RecordInput.Rejected(location, cardId, error);
      }
      try {
        closeApp();
        if (apps.isEmpty()) {
          throw new ValidationException(location + " card " + cardId, "has no application");
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
    Source(InputStream in, String name, int maxLineBytes) {
      super(in, name, maxLineBytes);
    }

    static InputStream openScript(Path file) {
      return openFile(file, "DGI script");
    }

    @Override
    protected RecordInput read() {
      CardBuilder card = null;
      while (true) {
        String line;
        try {
          line = readLine();
        } catch (MalformedDataException e) {
          // A line that is not UTF-8 (or too long) is an error of the card it belongs to.
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
        String s = strip(line);
        if (s.isEmpty()) {
          continue;
        }
        String at = location();
        String[] words = s.split("\\s+", 2);
        String keyword = words[0];
        String rest = words.length > 1 ? words[1] : "";
        if (keyword.equals("card")) {
          if (card != null) {
            pushBack(line);
            return card.build();
          }
          if (rest.isEmpty() || rest.contains(" ")) {
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
          statement(card, keyword, rest, at);
        } catch (PersoException e) {
          card.error = e;
        }
      }
      return card == null ? null : card.build();
    }

    private static String strip(String line) {
      int hash = line.indexOf('#');
      return (hash >= 0 ? line.substring(0, hash) : line).strip();
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
          Dgi dgi = Dgi.of(id.getUnsigned(0) << 8 | id.getUnsigned(1), hex(data, at + " dgi " + w[0] + " data"));
          card.dgis.add(kek == null ? InputDgi.clear(dgi) : InputDgi.underKek(dgi, kek));
          break;
        }
        case "mag":
        case "surface": {
          int eq = rest.indexOf('=');
          if (eq <= 0) {
            throw new ValidationException(at + " " + keyword, "needs NAME=VALUE");
          }
          (keyword.equals("mag") ? card.mag : card.surface).put(rest.substring(0, eq).strip(), rest.substring(eq + 1).strip());
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
