package dev.perso.iso7813.step;

import dev.perso.core.Bytes;
import dev.perso.core.cardholder.Pan;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.record.CardRecord;
import dev.perso.iso7813.MagStripe;
import dev.perso.iso7813.Track;
import dev.perso.iso7813.Track1;
import dev.perso.iso7813.Track2;
import dev.perso.iso7813.Track3;
import dev.perso.iso7813.Tracks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rewrites the stripe of a card already issued (the seed's "DC9K MS Rewriting"): reads the stripe,
 * identifies the card's record through a {@link RecordLookup} the caller supplies (by PAN, or any other
 * field the lookup chooses from the {@link StripeIdentity}), builds the new tracks with the
 * {@link MagStripeStep}'s issuer layout and keys (new expiry, CVV, service code...), erases the old tracks,
 * writes, reads back and compares. The {@link RewriteReport} says which fields changed on which track,
 * never their values.
 *
 * <pre>{@code
 * StripeRewrite rewrite = StripeRewrite.of(MagStripeStep.of(IssuerLayout.EXAMPLE_PVV_CVV, keys),
 *     id -> records.byPan(id.pan()));
 * RewriteReport r = rewrite.rewrite(encoder, card);
 * r.changes();   // {2=[expiry, discretionaryData], 1=[expiry, discretionaryData]}
 * }</pre>
 */
public final class StripeRewrite {

  /** Finds the record of the card whose stripe was read. */
  @FunctionalInterface
  public interface RecordLookup {
    /**
     * @param card what the old stripe says
     * @return the card's record, or empty when there is none
     */
    Optional<CardRecord> find(StripeIdentity card);
  }

  /**
   * What identifies a card on its old stripe. Secret-bearing: {@code toString} shows the last four PAN
   * digits only.
   *
   * @param pan the PAN (track 2, or track 1 when there is no track 2)
   * @param expiry the old expiry, if present
   * @param serviceCode the old service code, if present
   * @param name the track 1 name, if there is a track 1
   */
  public record StripeIdentity(String pan, Optional<String> expiry, Optional<String> serviceCode, Optional<String> name) {
    /** @return the PAN masked but for its last four digits */
    public String maskedPan() {
      return Pan.mask(pan);
    }

    @Override
    public String toString() {
      return "StripeIdentity[" + maskedPan() + "]";
    }
  }

  /**
   * What a rewrite did: the record, the masked PAN and, per track written, the names of the fields that
   * changed ({@code name}, {@code expiry}, {@code serviceCode}, {@code discretionaryData}; {@code added}
   * for a track the card did not have). Erased tracks that were not rewritten are listed as removed.
   *
   * @param recordId the record's id
   * @param maskedPan the PAN, masked
   * @param changes track number to the names of its changed fields (empty: rewritten unchanged)
   * @param removed tracks the card had that the new stripe does not
   */
  public record RewriteReport(String recordId, String maskedPan, Map<Integer, List<String>> changes, List<Integer> removed) {
    /** @return one line for a journal, without the PAN: e.g. {@code track 1 expiry,discretionaryData; track 2 expiry;} */
    public String summary() {
      StringBuilder sb = new StringBuilder();
      changes.forEach((t, f) -> sb.append(" track ").append(t).append(' ')
          .append(f.isEmpty() ? "unchanged" : String.join(",", f)).append(';'));
      removed.forEach(t -> sb.append(" track ").append(t).append(" removed;"));
      return sb.toString().strip();
    }
  }

  private final MagStripeStep builder;
  private final RecordLookup lookup;

  private StripeRewrite(MagStripeStep builder, RecordLookup lookup) {
    this.builder = Objects.requireNonNull(builder, "builder");
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  /**
   * @param builder the stripe step whose layout and keys build the new tracks
   * @param lookup finds the record of a card
   * @return the rewrite
   */
  public static StripeRewrite of(MagStripeStep builder, RecordLookup lookup) {
    return new StripeRewrite(builder, lookup);
  }

  /**
   * Reads what identifies the card at the encoder.
   *
   * @param encoder the encoder
   * @param card the card at it
   * @return the old stripe's tracks and identity
   * @throws ValidationException when the stripe has no readable track 1 or 2
   */
  public static OldStripe readOld(MagStripeEncoder encoder, CardTag card) {
    StripeData read = encoder.read(card);
    Map<Integer, Track> tracks = new LinkedHashMap<>();
    for (Map.Entry<Integer, Bytes> e : read.tracks().entrySet()) {
      int n = e.getKey();
      byte[] chars = e.getValue().toByteArray();
      String text = (n == 1 ? "%" : ";") + new String(chars, StandardCharsets.US_ASCII) + "?";
      java.util.Arrays.fill(chars, (byte) 0);
      try {
        tracks.put(n, Tracks.parseLenient(text).value());
      } catch (PersoException ex) {
        if (n != 3) {
          throw new ValidationException("stripe", "track " + n + " read from the card is not an ISO 7813 track");
        }
      }
    }
    Track2 t2 = tracks.get(2) instanceof Track2 t ? t : null;
    Track1 t1 = tracks.get(1) instanceof Track1 t ? t : null;
    if (t2 == null && t1 == null) {
      throw new ValidationException("stripe", "the card has no track 1 or 2 to identify it by");
    }
    StripeIdentity id = t2 != null
        ? new StripeIdentity(t2.pan(), t2.expiry(), t2.serviceCode(), Optional.ofNullable(t1).map(Track1::name))
        : new StripeIdentity(t1.pan(), t1.expiry(), t1.serviceCode(), Optional.of(t1.name()));
    return new OldStripe(tracks, Set.copyOf(read.tracks().keySet()), id);
  }

  /**
   * The stripe read from the card before the rewrite.
   *
   * @param tracks the tracks that parse as ISO tracks, by number
   * @param present the numbers of every track read, parsed or not (all are erased before the rewrite)
   * @param identity what identifies the card
   */
  public record OldStripe(Map<Integer, Track> tracks, Set<Integer> present, StripeIdentity identity) {
    @Override
    public String toString() {
      return "OldStripe[tracks " + tracks.keySet() + ", " + identity + "]";
    }
  }

  /**
   * Rewrites the card at the encoder.
   *
   * @param encoder the encoder
   * @param card the card at it
   * @return what changed
   * @throws ValidationException when the card cannot be identified, its record is not found, or the record's
   *     PAN is not the card's
   * @throws DeviceException from the encoder; READ_BACK_MISMATCH when the new stripe does not read back
   */
  public RewriteReport rewrite(MagStripeEncoder encoder, CardTag card) {
    OldStripe old = readOld(encoder, card);
    CardRecord record = lookup.find(old.identity()).orElseThrow(() -> new ValidationException("record",
        "no record for the card read (" + old.identity().maskedPan() + ")"));
    return rewrite(encoder, card, old, record, () -> { });
  }

  /**
   * Rewrites with the record already known (a line's stage step): checks that the record is the card's.
   *
   * @param encoder the encoder
   * @param card the card at it
   * @param old what {@link #readOld} read
   * @param record the card's record
   * @param beforeWriting called once, just before the first change to the card
   * @return what changed
   */
  public RewriteReport rewrite(MagStripeEncoder encoder, CardTag card, OldStripe old, CardRecord record,
      Runnable beforeWriting) {
    MagStripe fresh = builder.tracks(record);
    String newPan = fresh.track2().map(Track2::pan).orElseGet(() -> fresh.track1().map(Track1::pan).orElse(""));
    if (!constantTimeEquals(newPan, old.identity().pan())) {
      throw new ValidationException(record.where() + " magstripe.pan", "is not the PAN on the card read ("
          + old.identity().maskedPan() + "); the stripe is left as it was");
    }
    StripeData data = MagStripeStep.stripeData(fresh);
    TreeSet<Integer> erase = new TreeSet<>(old.present());
    erase.addAll(data.tracks().keySet());
    beforeWriting.run();
    encoder.erase(card, erase);
    encoder.write(card, data);
    StripeData back = encoder.read(card);
    int bad = data.firstDifference(back);
    if (bad == 0) {
      for (Integer t : back.tracks().keySet()) {
        if (!data.has(t)) {
          bad = t;
        }
      }
    }
    if (bad != 0) {
      throw new DeviceException(encoder.id(), DeviceFault.READ_BACK_MISMATCH, "track " + bad);
    }
    Map<Integer, List<String>> changes = new LinkedHashMap<>();
    for (Track t : fresh.tracks()) {
      changes.put(t.type().number(), changed(old.tracks().get(t.type().number()), t));
    }
    List<Integer> removed = new ArrayList<>();
    for (Integer t : new TreeSet<>(old.present())) {
      if (!data.has(t)) {
        removed.add(t);
      }
    }
    return new RewriteReport(record.id(), old.identity().maskedPan(), changes, removed);
  }

  private static List<String> changed(Track before, Track after) {
    List<String> out = new ArrayList<>();
    if (before == null) {
      out.add("added");
      return out;
    }
    if (before instanceof Track1 a && after instanceof Track1 b) {
      diff(out, "name", a.name(), b.name());
      diff(out, "expiry", a.expiry().orElse(""), b.expiry().orElse(""));
      diff(out, "serviceCode", a.serviceCode().orElse(""), b.serviceCode().orElse(""));
      diff(out, "discretionaryData", a.discretionaryData(), b.discretionaryData());
    } else if (before instanceof Track2 a && after instanceof Track2 b) {
      diff(out, "expiry", a.expiry().orElse(""), b.expiry().orElse(""));
      diff(out, "serviceCode", a.serviceCode().orElse(""), b.serviceCode().orElse(""));
      diff(out, "discretionaryData", a.discretionaryData(), b.discretionaryData());
    } else if (before instanceof Track3 || after instanceof Track3) {
      diff(out, "data", before.text(), after.text());
    }
    return out;
  }

  private static void diff(List<String> out, String field, String a, String b) {
    if (!constantTimeEquals(a, b)) {
      out.add(field);
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    return java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "StripeRewrite[" + builder + "]";
  }
}
