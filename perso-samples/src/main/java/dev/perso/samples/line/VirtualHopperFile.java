package dev.perso.samples.line;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.StripeData;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.gp.Cplc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Virtual cards carried from one {@code perso run} to the next, as an operator carries the cards of an earlier
 * stage to a later stage's hopper: JSON Lines, one card a line, in hopper order, e.g.
 * {@code {"cplc":"9F7F2A4790D6..."}}. A line keeps the card's chip <em>identity</em> only (its CPLC, what a
 * later stage identifies the card by; {@code {}} for a card without a chip or CPLC): not the record it was made
 * for (the journal knows), not the chip's applications (their keys and PINs never go to a file), nor stripe or
 * surface. A loaded card's chip answers SELECT of its Issuer Security Domain and GET DATA 9F7F, and refuses
 * everything else; its stripe and surface are blank. Reorder or delete lines to try a shuffled hopper or
 * missing cards.
 *
 * <pre>{@code
 * VirtualHopperFile.append(Path.of("chip-out.jsonl"), world.outputHopper());
 * world.loadHopper("desk-1", VirtualHopperFile.read(Path.of("chip-out.jsonl")));
 * }</pre>
 */
public final class VirtualHopperFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VirtualHopperFile() {}

  /**
   * Appends cards to the file (created if absent).
   *
   * @param file the file
   * @param cards cards, e.g. an output hopper; a card without a chip or whose chip has no CPLC is written as
   *     {@code {}}
   * @throws TransportException if the file cannot be written
   */
  public static void append(Path file, List<PhysicalCard> cards) {
    StringBuilder sb = new StringBuilder();
    for (PhysicalCard c : cards) {
      Map<String, String> line = new LinkedHashMap<>();
      c.chip().flatMap(VirtualHopperFile::cplc).ifPresent(cplc -> line.put("cplc", cplc.encode().toHex()));
      try {
        sb.append(JSON.writeValueAsString(line)).append('\n');
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new TransportException("cannot write virtual hopper " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<Cplc> cplc(VirtualCard chip) {
    try {
      chip.reset();
      return Cplc.read(VirtualCard.connect(chip));
    } catch (PersoException e) {
      return Optional.empty();
    }
  }

  /**
   * @param file a file {@link #append} wrote (blank lines are skipped)
   * @return its cards in file order, each in the hopper (their tags are placeholders: the transport gives each
   *     card its tag when it feeds it)
   * @throws ValidationException naming the file and line for a line that is not a card
   */
  public static List<PhysicalCard> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ValidationException(file.toString(), "cannot read virtual hopper: " + e.getMessage());
    }
    List<PhysicalCard> cards = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String at = file.getFileName() + ":" + (i + 1);
      JsonNode n;
      try {
        n = JSON.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        throw new ValidationException(at, "not a JSON object: " + e.getOriginalMessage());
      }
      if (n == null || !n.isObject()) {
        throw new ValidationException(at, "not a JSON object");
      }
      for (java.util.Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!f.equals("cplc")) {
          throw new ValidationException(at + " " + f, "unknown member (allowed: [cplc])");
        }
      }
      VirtualCard chip = null;
      JsonNode cplc = n.get("cplc");
      if (cplc != null) {
        try {
          chip = new IdentityChip(Cplc.parse(Bytes.fromHex(cplc.asText())));
        } catch (PersoException | IllegalArgumentException e) {
          throw new ValidationException(at + " cplc", "must be 9F7F2A and 42 bytes, hex");
        }
      }
      cards.add(new PhysicalCard(new CardTag(i + 1, "?"), "hopper file", PhysicalCard.Location.INSIDE,
          StripeData.of(Map.of()), Optional.ofNullable(chip), List.of(), List.of(), List.of(), List.of(), List.of()));
    }
    return cards;
  }

  /** A chip as the file keeps it: its CPLC behind its ISD, nothing else. */
  private static final class IdentityChip implements VirtualCard {
    private static final Bytes ATR = Bytes.fromHex("3B00");
    private final Cplc cplc;

    IdentityChip(Cplc cplc) {
      this.cplc = cplc;
    }

    @Override
    public Bytes atr() {
      return ATR;
    }

    @Override
    public Bytes reset() {
      return ATR;
    }

    @Override
    public ResponseApdu process(CommandApdu c) {
      if (c.ins() == 0xA4 && c.p1() == 0x04) {
        return c.data().isEmpty() ? ResponseApdu.of(0x9000) : ResponseApdu.of(0x6A82);
      }
      if (c.ins() == 0xCA && c.p1() == 0x9F && c.p2() == 0x7F) {
        return ResponseApdu.of(cplc.encode(), 0x9000);
      }
      return ResponseApdu.of(0x6D00);
    }

    @Override
    public String toString() {
      return "chip identity " + cplc.icSerialId();
    }
  }
}
