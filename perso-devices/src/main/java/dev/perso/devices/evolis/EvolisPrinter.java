package dev.perso.devices.evolis;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.MalformedDataException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardPrinter;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.device.TransportSensors;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.devices.evolis.internal.EvolisPanels;
import dev.perso.devices.evolis.internal.EvolisProtocol;
import dev.perso.devices.link.ByteLink;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * An Evolis desktop card printer with a magnetic encoder, driven in its command language (notes
 * magstripe-surface §3.4, Programming Guide A5013) over any {@link ByteLink}: TCP to the printer's raw port
 * or a serial / USB-serial port. One object is the machine's transport, printer and stripe encoder: the card
 * stays at its one position for all its work.
 *
 * <ul>
 *   <li>{@link #feed}: {@code Pmi;F;s} (insertion from the feeder) and {@code Ss}, the start of the card's
 *       sequence; NACK F is HOPPER_EMPTY.</li>
 *   <li>{@link #write}: {@code Pmc;h|l} (coercivity), per track {@code Pmt;t;fmt} (ISO 1/2/3),
 *       {@code Pmd;t;bpi} (210/75/210) and {@code Dm;t;data}, then {@code Smw}; {@link #read}: {@code Smr;t}
 *       per track; {@link #erase}: empty {@code Dm} tracks and {@code Smw}. NACK K, D, W are WRITE_ERROR.</li>
 *   <li>{@link #print}: {@code Pr;ymcko} or {@code Pr;k}, {@code Sr} (front) / {@code Sv} (back) with each face's
 *       panels ({@code Db;y|m|c;128;...} raw, {@code Dbc;k|o;2;...} K/O-compressed, 300 dpi 1016 x 648), then
 *       {@code Se}: the printer prints and delivers the card, so printing is the card's last step here;
 *       NACK R is RIBBON_OUT, C COVER_OPEN, T JAM.</li>
 *   <li>{@link #eject} and {@link #reject} end a sequence not ended by a print ({@code Se}); the notes document
 *       no reject bin, so a rejected card also leaves by the output slot.</li>
 *   <li>{@link #status} and {@link #sensors}: {@code Rse}; after a NACK the driver asks {@code Rlr;p} (the last
 *       reply, e.g. {@code ERR CARD}) for the exception's detail.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EvolisPrinter p = (EvolisPrinter) Devices.open("evolis:tcp://10.0.0.7:9100?ribbon=ymcko&coercivity=hico")) {
 *   p.feed(card);
 *   p.write(card, stripe);
 *   p.print(card, job);   // prints and delivers
 * }
 * }</pre>
 */
public final class EvolisPrinter implements CardTransport, CardPrinter, MagStripeEncoder {
  private static final int[] ISO_BPI = {0, 210, 75, 210};
  private final ByteLink link;
  private final String id;
  private final Builder settings;
  private final String model;
  private CardTag inside;
  private CardTag delivered;
  private int outputCount;
  private boolean closed;

  private EvolisPrinter(ByteLink link, Builder b) {
    this.link = link;
    this.id = b.id == null ? "evolis:" + link.name() : b.id;
    this.settings = b.copy();
    this.model = exchange(EvolisProtocol.command("Rtp"), settings.replyTimeout);
  }

  /** @return a builder with the defaults: YMCKO ribbon, high coercivity, 5 s replies, 60 s prints */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the model the printer named when opened ({@code Rtp}) */
  public String model() {
    return model;
  }

  @Override
  public String id() {
    return id;
  }

  // ---- transport ------------------------------------------------------------------------------------------

  @Override
  public synchronized void feed(CardTag card) {
    Objects.requireNonNull(card, "card");
    if (inside != null) {
      throw new ValidationException("card", "the printer holds a card already; eject or reject it before feeding another");
    }
    ok("Pmi", "F", "s");
    ok("Ss");
    inside = card;
  }

  @Override
  public synchronized void moveTo(CardTag card, String position) {
    Objects.requireNonNull(position, "position");
    requireInside(card);
  }

  @Override
  public synchronized void eject(CardTag card) {
    if (card != null && card.equals(delivered) && inside == null) {
      return; // its print delivered it
    }
    requireInside(card);
    ok("Se");
    deliver();
  }

  @Override
  public synchronized void reject(CardTag card) {
    eject(card);
  }

  @Override
  public synchronized List<CardTag> cardsInside() {
    return inside == null ? List.of() : List.of(inside);
  }

  @Override
  public synchronized TransportSensors sensors() {
    String s = exchange(EvolisProtocol.command("Rse"), settings.replyTimeout);
    return new TransportSensors(s.contains("FEEDER EMPTY"), -1, outputCount, s.contains("COVER OPEN"));
  }

  private void deliver() {
    delivered = inside;
    inside = null;
    outputCount++;
  }

  private void requireInside(CardTag card) {
    Objects.requireNonNull(card, "card");
    if (!card.equals(inside)) {
      throw new DeviceException(id, DeviceFault.NO_CARD, "card " + card.recordId() + " is not in the printer");
    }
  }

  // ---- magnetic stripe ------------------------------------------------------------------------------------

  @Override
  public synchronized void write(CardTag card, StripeData data) {
    Objects.requireNonNull(data, "data");
    requireInside(card);
    if (data.tracks().isEmpty()) {
      throw new ValidationException("stripe", "has no track to write");
    }
    ok("Pmc", settings.coercivity == Coercivity.HIGH ? "h" : "l");
    for (Map.Entry<Integer, Bytes> e : data.tracks().entrySet()) {
      int t = e.getKey();
      checkTrack(t, e.getValue());
      ok("Pmt", "" + t, "" + t);
      ok("Pmd", "" + t, "" + ISO_BPI[t]);
      byte[] chars = e.getValue().toByteArray();
      byte[] frame = new byte[0];
      try {
        frame = EvolisProtocol.command("Dm", "" + t, new String(chars, StandardCharsets.US_ASCII));
        okFrame(frame, "Dm;" + t, settings.replyTimeout);
      } finally {
        Arrays.fill(chars, (byte) 0);
        Arrays.fill(frame, (byte) 0);
      }
    }
    okFrame(EvolisProtocol.command("Smw"), "Smw", settings.magTimeout);
  }

  /** ISO 7813 character sets: track 1 0x20..0x5F, tracks 2 and 3 0x30..0x3F; sentinels are the printer's. */
  private static void checkTrack(int t, Bytes data) {
    int lo = t == 1 ? 0x20 : 0x30;
    int hi = t == 1 ? 0x5F : 0x3F;
    int max = t == 1 ? 76 : t == 2 ? 37 : 104;
    if (data.length() > max) {
      throw new ValidationException("track " + t, "has " + data.length() + " characters, at most " + max);
    }
    for (int i = 0; i < data.length(); i++) {
      int c = data.getUnsigned(i);
      if (c < lo || c > hi || c == '?' || c == (t == 1 ? '%' : ';')) {
        throw new ValidationException("track " + t, "character " + (i + 1) + " is outside the ISO character set");
      }
    }
  }

  @Override
  public synchronized StripeData read(CardTag card) {
    requireInside(card);
    Map<Integer, Bytes> tracks = new TreeMap<>();
    for (int t = 1; t <= 3; t++) {
      String s = exchange(EvolisProtocol.command("Smr", "" + t), settings.magTimeout);
      if (!s.isEmpty()) {
        tracks.put(t, Bytes.secret(s.getBytes(StandardCharsets.US_ASCII)));
      }
    }
    return StripeData.of(tracks);
  }

  @Override
  public synchronized void erase(CardTag card, Set<Integer> tracks) {
    requireInside(card);
    for (int t : new java.util.TreeSet<>(tracks)) {
      if (t < 1 || t > 3) {
        throw new ValidationException("track", "must be 1, 2 or 3, was " + t);
      }
      ok("Dm", "" + t, "");
    }
    okFrame(EvolisProtocol.command("Smw"), "Smw", settings.magTimeout);
  }

  // ---- printing -------------------------------------------------------------------------------------------

  @Override
  public synchronized void print(CardTag card, PrintJob job) {
    Objects.requireNonNull(job, "job");
    Map<Side, BufferedImage> faces = new EnumMap<>(Side.class);
    for (Map.Entry<Side, PrintJob.Face> e : job.faces().entrySet()) {
      try {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(e.getValue().png().toByteArray()));
        if (img == null) {
          throw new ValidationException("print job " + e.getKey() + " face", "is not a PNG image");
        }
        faces.put(e.getKey(), img);
      } catch (IOException ex) {
        throw new ValidationException("print job " + e.getKey() + " face", "is not a readable PNG (" + ex.getMessage() + ")");
      }
    }
    Map<Side, Set<Panel>> panels = new EnumMap<>(Side.class);
    job.faces().forEach((side, face) -> panels.put(side, face.panels()));
    print(card, faces, panels);
  }

  /**
   * Prints faces given as images and delivers the card.
   *
   * @param card the card inside
   * @param faces the faces by side
   * @param panels the ribbon panels per side (a subset of the ribbon's)
   */
  public synchronized void print(CardTag card, Map<Side, BufferedImage> faces, Map<Side, Set<Panel>> panels) {
    requireInside(card);
    if (faces.isEmpty()) {
      throw new ValidationException("faces", "a card to print needs at least one face");
    }
    Set<Panel> ribbon = settings.ribbon.panels;
    List<byte[]> frames = new ArrayList<>();
    for (Side side : Side.values()) {
      BufferedImage face = faces.get(side);
      if (face == null) {
        continue;
      }
      Set<Panel> wanted = panels.get(side);
      if (wanted == null || wanted.isEmpty()) {
        throw new ValidationException("print job " + side, "names no ribbon panel");
      }
      if (!ribbon.containsAll(wanted)) {
        throw new ValidationException("print job " + side, "asks for panels " + wanted + " but the ribbon is "
            + settings.ribbon + " " + ribbon);
      }
      frames.add(EvolisProtocol.command(side == Side.FRONT ? "Sr" : "Sv"));
      int[][] dots = EvolisPanels.dots(face);
      for (Panel p : EnumSet.copyOf(wanted)) {
        char code = Character.toLowerCase(p.name().charAt(0));
        if (p == Panel.K || p == Panel.O) {
          byte[] mono = EvolisPanels.mono(dots, p, settings.ribbon == Ribbon.K);
          frames.add(EvolisProtocol.bitmap("Dbc", code, 2, EvolisPanels.compress(mono)));
        } else {
          frames.add(EvolisProtocol.bitmap("Db", code, 128, EvolisPanels.colour(dots, p)));
        }
      }
    }
    ok("Pr", settings.ribbon.code);
    for (byte[] f : frames) {
      okFrame(f, nameOf(f), settings.replyTimeout);
    }
    okFrame(EvolisProtocol.command("Se"), "Se", settings.printTimeout);
    deliver();
  }

  // ---- status ---------------------------------------------------------------------------------------------

  /** Asks {@code Rse}: {@code OK} is READY, a named fault is FAULTED with it; no answer is OFFLINE. */
  @Override
  public synchronized DeviceStatus status() {
    if (closed) {
      return DeviceStatus.offline("closed");
    }
    try {
      String s = exchange(EvolisProtocol.command("Rse"), settings.replyTimeout);
      if (s.equals("OK")) {
        return DeviceStatus.ready();
      }
      DeviceFault f = s.contains("COVER OPEN") ? DeviceFault.COVER_OPEN : s.contains("RIBBON") ? DeviceFault.RIBBON_OUT
          : s.contains("FEEDER EMPTY") ? DeviceFault.HOPPER_EMPTY : s.contains("JAM") ? DeviceFault.JAM
          : DeviceFault.COMMUNICATION_ERROR;
      return DeviceStatus.faulted(f, s);
    } catch (DeviceException e) {
      return DeviceStatus.offline(e.getMessage());
    }
  }

  // ---- exchange -------------------------------------------------------------------------------------------

  private void ok(String name, String... params) {
    okFrame(EvolisProtocol.command(name, params), name, settings.replyTimeout);
  }

  private void okFrame(byte[] frame, String name, Duration timeout) {
    String r = exchange(frame, timeout);
    if (!r.equals("OK")) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, name + ": expected OK, the printer answered "
          + r.length() + " other characters");
    }
  }

  /** Sends a frame, reads the reply; a NACK becomes the DeviceException of its fault. */
  private String exchange(byte[] frame, Duration timeout) {
    String name = nameOf(frame);
    EvolisProtocol.Reply reply = send(frame, name, timeout);
    char nack = reply.nack();
    if (nack != 0) {
      String last = "";
      try {
        EvolisProtocol.Reply lr = send(EvolisProtocol.command("Rlr", "p"), "Rlr", settings.replyTimeout);
        if (lr.nack() == 0) {
          last = ", last reply: " + lr.text();
        }
      } catch (DeviceException e) {
        // the NACK is what matters
      }
      throw new DeviceException(id, EvolisProtocol.faultOf(nack), name + " refused: NACK " + nack + " ("
          + EvolisProtocol.meaning(nack) + ")" + last);
    }
    return reply.text();
  }

  private static String nameOf(byte[] frame) {
    int end = 1;
    while (end < frame.length && Character.isLetter(frame[end])) {
      end++;
    }
    return new String(frame, 1, end - 1, StandardCharsets.US_ASCII);
  }

  private EvolisProtocol.Reply send(byte[] frame, String name, Duration timeout) {
    if (closed) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, "closed");
    }
    try {
      link.discardInput();
      link.write(frame, 0, frame.length);
      ByteArrayOutputStream buf = new ByteArrayOutputStream(16);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new DeviceException(id, DeviceFault.TIMEOUT, name + ": no complete reply within " + timeout.toMillis() + " ms");
        }
        int b = link.read(Duration.ofNanos(left));
        if (b < 0) {
          continue;
        }
        if (b == EvolisProtocol.CR) {
          break;
        }
        if (buf.size() >= EvolisProtocol.MAX_REPLY) {
          throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, name + ": reply longer than "
              + EvolisProtocol.MAX_REPLY + " bytes");
        }
        buf.write(b);
      }
      byte[] raw = buf.toByteArray();
      try {
        return EvolisProtocol.reply(raw);
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (MalformedDataException e) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, name + ": " + e.getMessage(), e);
    } catch (TransportException e) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      link.close();
    }
  }

  @Override
  public String toString() {
    return "EvolisPrinter[" + id + ", " + model + "]";
  }

  /** The ribbon loaded: which panels a face may use. */
  public enum Ribbon {
    /** Colour: yellow, magenta, cyan, black resin, overlay ({@code Pr;ymcko}). */
    YMCKO("ymcko", EnumSet.allOf(Panel.class)),
    /** Mono black resin ({@code Pr;k}). */
    K("k", EnumSet.of(Panel.K));

    private final String code;
    private final Set<Panel> panels;

    Ribbon(String code, Set<Panel> panels) {
      this.code = code;
      this.panels = panels;
    }
  }

  /** Magnetic coercivity ({@code Pmc;h} / {@code Pmc;l}). */
  public enum Coercivity {
    /** HiCo, about 2750 Oe. */
    HIGH,
    /** LoCo, about 300 Oe. */
    LOW
  }

  /** Settings of an {@link EvolisPrinter}; {@link #open(ByteLink)} opens one on a link. */
  public static final class Builder {
    private String id;
    private Ribbon ribbon = Ribbon.YMCKO;
    private Coercivity coercivity = Coercivity.HIGH;
    private Duration replyTimeout = Duration.ofSeconds(5);
    private Duration magTimeout = Duration.ofSeconds(15);
    private Duration printTimeout = Duration.ofSeconds(60);

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.id = id;
      b.ribbon = ribbon;
      b.coercivity = coercivity;
      b.replyTimeout = replyTimeout;
      b.magTimeout = magTimeout;
      b.printTimeout = printTimeout;
      return b;
    }

    /** @param v the device id (default {@code evolis:<link>}) @return this */
    public Builder id(String v) {
      this.id = Objects.requireNonNull(v, "id");
      return this;
    }

    /** @param v the ribbon loaded @return this */
    public Builder ribbon(Ribbon v) {
      this.ribbon = Objects.requireNonNull(v, "ribbon");
      return this;
    }

    /** @param v the stripe's coercivity @return this */
    public Builder coercivity(Coercivity v) {
      this.coercivity = Objects.requireNonNull(v, "coercivity");
      return this;
    }

    /** @param v how long a command's reply may take (default 5 s) @return this */
    public Builder replyTimeout(Duration v) {
      this.replyTimeout = positive(v, "replyTimeout");
      return this;
    }

    /** @param v how long a stripe write or read may take (default 15 s) @return this */
    public Builder magTimeout(Duration v) {
      this.magTimeout = positive(v, "magTimeout");
      return this;
    }

    /** @param v how long printing a card ({@code Se}) may take (default 60 s) @return this */
    public Builder printTimeout(Duration v) {
      this.printTimeout = positive(v, "printTimeout");
      return this;
    }

    private static Duration positive(Duration v, String name) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new ValidationException(name, "must be positive");
      }
      return v;
    }

    /**
     * Opens the printer on a link and asks its model ({@code Rtp}); closes the link if that fails.
     *
     * @param link a TCP or serial link to the printer
     * @return the printer
     * @throws DeviceException COMMUNICATION_ERROR or TIMEOUT if it does not answer as an Evolis printer
     */
    public EvolisPrinter open(ByteLink link) {
      Objects.requireNonNull(link, "link");
      try {
        return new EvolisPrinter(link, this);
      } catch (RuntimeException e) {
        link.close();
        throw e;
      }
    }
  }
}
