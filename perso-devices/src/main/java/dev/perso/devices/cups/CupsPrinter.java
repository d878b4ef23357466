package dev.perso.devices.cups;

import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardPrinter;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.StripeData;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.devices.cups.internal.CardPdf;
import dev.perso.devices.datacard.DatacardEscapes;
import dev.perso.devices.cups.internal.Ipp;
import dev.perso.devices.cups.internal.TrackEscapes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A card printer behind a CUPS queue (or any IPP printer that takes PDF): each card becomes one PDF whose
 * pages are exactly the card, 85.60 x 53.98 mm (front page first, then back), sent with IPP Print-Job to
 * {@code ipp://host:port/printers/NAME}; the call returns when the job is {@code completed}. A job that
 * ends {@code processing-stopped}, {@code canceled} or {@code aborted} is a failed card: a
 * {@link DeviceException} whose fault comes from the job's and printer's state reasons (media-jam: JAM,
 * cover-open: COVER_OPEN, marker-supply-empty: RIBBON_OUT, media-empty: HOPPER_EMPTY, otherwise
 * WRITE_ERROR); a stopped job is cancelled so it does not stay in the queue. The vendor driver behind the
 * queue does the rest, as bureaus print with vendor drivers.
 *
 * <p>With {@link Builder#trackEscapes(boolean)} the magnetic tracks travel in the same job as the text
 * escapes drivers of the HID Fargo kind read ({@code ~1%...?}, {@code ~2;...?}, {@code ~3;...?}), written
 * as invisible text on the first page; with {@link Builder#embossEscapes} the emboss and indent lines travel
 * there too as Datacard-style {@code ~EM%font;x;y;text} escapes.
 *
 * <pre>{@code
 * CupsPrinter printer = CupsPrinter.builder(URI.create("ipp://127.0.0.1:631/printers/CARD"))
 *     .trackEscapes(true).build();
 * int jobId = printer.print(card, Map.of(Side.FRONT, frontImage), stripe);   // waits for completed
 * }</pre>
 */
public final class CupsPrinter implements CardPrinter {
  private static final AtomicInteger REQUEST_IDS = new AtomicInteger(1);
  private final URI printer;
  private final String id;
  private final String user;
  private final boolean trackEscapes;
  private final DatacardEscapes embossEscapes;
  private final Duration poll;
  private final Duration timeout;

  /** @return 1..2^31-1, wrapping (RFC 8010 §3.1.5 request-id) */
  private static int nextRequestId() {
    return REQUEST_IDS.getAndUpdate(i -> i == Integer.MAX_VALUE ? 1 : i + 1);
  }

  private CupsPrinter(Builder b) {
    this.printer = b.printer;
    this.id = b.id == null ? b.printer.toString() : b.id;
    this.user = b.user;
    this.trackEscapes = b.trackEscapes;
    this.embossEscapes = b.embossEscapes;
    this.poll = b.poll;
    this.timeout = b.timeout;
  }

  /**
   * @param printer {@code ipp://host[:port]/printers/NAME} (port 631 when absent) or {@code ipps://...}
   * @return a builder
   * @throws ValidationException if the URI is not an ipp/ipps URI with a host and a path
   */
  public static Builder builder(URI printer) {
    return new Builder(printer);
  }

  /** @return the printer URI jobs go to */
  public URI printerUri() {
    return printer;
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * Prints the job's faces; a face whose panels are only K (resin black) goes as a grey image.
   *
   * @param card the card (its record id names the job)
   * @param job the faces, PNG
   */
  @Override
  public void print(CardTag card, PrintJob job) {
    print(card, job, null);
  }

  /**
   * Prints the job's faces and, as driver escapes, the stripe.
   *
   * @param card the card
   * @param job the faces
   * @param stripeOrNull the tracks to encode through the driver, or null
   * @return the CUPS job id, completed
   */
  public int print(CardTag card, PrintJob job, StripeData stripeOrNull) {
    return print(card, job, stripeOrNull, List.of(), List.of());
  }

  /**
   * Prints the job's faces with the stripe and the emboss and indent lines as driver escapes in one job, as
   * a card printer with emboss and indent modules behind a Datacard-style driver takes them.
   *
   * @param card the card
   * @param job the faces
   * @param stripeOrNull the tracks to encode through the driver, or null
   * @param emboss emboss lines (needs {@link Builder#embossEscapes})
   * @param indent indent lines (needs {@link Builder#embossEscapes})
   * @return the CUPS job id, completed
   */
  public int print(CardTag card, PrintJob job, StripeData stripeOrNull, List<EmbossLine> emboss,
      List<IndentLine> indent) {
    Objects.requireNonNull(job, "job");
    List<CardPdf.Page> pages = new ArrayList<>();
    for (Side side : Side.values()) {
      PrintJob.Face face = job.faces().get(side);
      if (face == null) {
        continue;
      }
      BufferedImage img;
      try {
        img = ImageIO.read(new ByteArrayInputStream(face.png().toByteArray()));
      } catch (IOException e) {
        throw new ValidationException("print job " + side + " face", "is not a readable PNG (" + e.getMessage() + ")");
      }
      if (img == null) {
        throw new ValidationException("print job " + side + " face", "is not a PNG image");
      }
      boolean grey = !(face.panels().contains(Panel.Y) || face.panels().contains(Panel.M)
          || face.panels().contains(Panel.C));
      pages.add(new CardPdf.Page(img, grey));
    }
    List<String> escapes = List.of();
    if (!emboss.isEmpty() || !indent.isEmpty()) {
      if (embossEscapes == null) {
        throw new ValidationException("emboss", "this CUPS printer was opened without emboss escapes (embossEscapes"
            + " or ?emboss=datacard), so it cannot emboss or indent");
      }
      escapes = embossEscapes.escapes(emboss, indent);
    }
    return submit(card, pages, stripeOrNull, escapes);
  }

  /**
   * Prints faces given as images, in colour.
   *
   * @param card the card
   * @param faces the faces by side (at least one); each fills the whole card
   * @param stripeOrNull the tracks to encode through the driver, or null
   * @return the CUPS job id, completed
   */
  public int print(CardTag card, Map<Side, BufferedImage> faces, StripeData stripeOrNull) {
    Objects.requireNonNull(faces, "faces");
    EnumMap<Side, BufferedImage> ordered = new EnumMap<>(faces);
    List<CardPdf.Page> pages = new ArrayList<>();
    ordered.forEach((side, img) -> pages.add(new CardPdf.Page(img, false)));
    return submit(card, pages, stripeOrNull, List.of());
  }

  private int submit(CardTag card, List<CardPdf.Page> pages, StripeData stripeOrNull, List<String> embossLines) {
    Objects.requireNonNull(card, "card");
    if (pages.isEmpty()) {
      throw new ValidationException("faces", "a card to print needs at least one face");
    }
    List<String> escapes = new ArrayList<>(embossLines);
    if (stripeOrNull != null) {
      if (!trackEscapes) {
        throw new ValidationException("stripe", "this CUPS printer was opened without track escapes (trackEscapes=true"
            + " or ?tracks=escapes), so it cannot encode a stripe");
      }
      escapes.addAll(TrackEscapes.lines(stripeOrNull));
    }
    byte[] pdf = CardPdf.write(pages, escapes);
    Ipp.Request req = new Ipp.Request(Ipp.PRINT_JOB, nextRequestId())
        .text(Ipp.URI, "printer-uri", printer.toString())
        .text(Ipp.NAME, "requesting-user-name", user)
        .text(Ipp.NAME, "job-name", "card " + card.recordId() + " #" + card.serial())
        .text(Ipp.MIME, "document-format", "application/pdf");
    Ipp.Response resp = post(req.encode(), pdf);
    if (!resp.ok()) {
      throw new DeviceException(id, DeviceFault.WRITE_ERROR, "Print-Job refused: IPP status 0x"
          + Integer.toHexString(resp.status()) + statusMessage(resp));
    }
    int jobId = resp.intValue(Ipp.JOB_GROUP, "job-id").orElseThrow(() -> new DeviceException(id,
        DeviceFault.COMMUNICATION_ERROR, "Print-Job answer has no job-id"));
    follow(jobId);
    return jobId;
  }

  private void follow(int jobId) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Ipp.Response r = post(new Ipp.Request(Ipp.GET_JOB_ATTRIBUTES, nextRequestId())
          .text(Ipp.URI, "printer-uri", printer.toString())
          .integer("job-id", jobId)
          .text(Ipp.NAME, "requesting-user-name", user)
          .text(Ipp.KEYWORD, "requested-attributes", "job-state", "job-state-reasons", "job-printer-state-reasons")
          .encode(), null);
      if (!r.ok()) {
        throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, "job " + jobId + ": Get-Job-Attributes"
            + " refused, IPP status 0x" + Integer.toHexString(r.status()) + statusMessage(r));
      }
      int state = r.intValue(Ipp.JOB_GROUP, "job-state").orElseThrow(() -> new DeviceException(id,
          DeviceFault.COMMUNICATION_ERROR, "job " + jobId + ": answer has no job-state"));
      if (state == 9) { // completed
        return;
      }
      if (state >= 6) { // processing-stopped, canceled, aborted: a failed card
        List<String> reasons = new ArrayList<>(r.texts(Ipp.JOB_GROUP, "job-state-reasons"));
        reasons.addAll(r.texts(Ipp.JOB_GROUP, "job-printer-state-reasons"));
        if (state == 6) {
          cancel(jobId);
        }
        throw new DeviceException(id, faultFor(reasons), "job " + jobId + " ended "
            + (state == 6 ? "processing-stopped" : state == 7 ? "canceled" : state == 8 ? "aborted" : "in state " + state)
            + " " + reasons);
      }
      if (System.nanoTime() > deadline) {
        throw new DeviceException(id, DeviceFault.TIMEOUT, "job " + jobId + " not completed after "
            + timeout.toMillis() + " ms (state " + state + ")");
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeviceException(id, DeviceFault.TIMEOUT, "interrupted while following job " + jobId, e);
      }
    }
  }

  /** Maps IPP state reasons (RFC 8011 §5.4.12, PWG 5100.9 keywords) to the fault a line acts on. */
  static DeviceFault faultFor(List<String> reasons) {
    for (String r : reasons) {
      String k = r.replaceAll("-(report|warning|error)$", "");
      switch (k) {
        case "media-jam", "jam" -> {
          return DeviceFault.JAM;
        }
        case "cover-open", "door-open", "interlock-open" -> {
          return DeviceFault.COVER_OPEN;
        }
        case "marker-supply-empty", "toner-empty", "marker-waste-full" -> {
          return DeviceFault.RIBBON_OUT;
        }
        case "media-empty", "media-needed" -> {
          return DeviceFault.HOPPER_EMPTY;
        }
        default -> { }
      }
    }
    return DeviceFault.WRITE_ERROR;
  }

  private void cancel(int jobId) {
    try {
      post(new Ipp.Request(Ipp.CANCEL_JOB, nextRequestId())
          .text(Ipp.URI, "printer-uri", printer.toString())
          .integer("job-id", jobId)
          .text(Ipp.NAME, "requesting-user-name", user).encode(), null);
    } catch (DeviceException e) {
      // the job failed already; the failure to report is the job's
    }
  }

  /**
   * Asks the printer's state: idle or processing is READY (BUSY while processing), stopped is FAULTED with
   * the fault of its state reasons.
   */
  @Override
  public DeviceStatus status() {
    try {
      Ipp.Response r = post(new Ipp.Request(Ipp.GET_PRINTER_ATTRIBUTES, nextRequestId())
          .text(Ipp.URI, "printer-uri", printer.toString())
          .text(Ipp.NAME, "requesting-user-name", user)
          .text(Ipp.KEYWORD, "requested-attributes", "printer-state", "printer-state-reasons").encode(), null);
      if (!r.ok()) {
        return DeviceStatus.offline("IPP status 0x" + Integer.toHexString(r.status()));
      }
      int state = r.intValue(Ipp.PRINTER_GROUP, "printer-state").orElse(5);
      List<String> reasons = r.texts(Ipp.PRINTER_GROUP, "printer-state-reasons");
      if (state == 5) {
        return DeviceStatus.faulted(faultFor(reasons), "printer stopped " + reasons);
      }
      return state == 4 ? DeviceStatus.busy() : DeviceStatus.ready();
    } catch (DeviceException | MalformedDataException e) {
      return DeviceStatus.offline(e.getMessage());
    }
  }

  private static String statusMessage(Ipp.Response r) {
    List<String> m = r.texts(Ipp.OPERATION_GROUP, "status-message");
    return m.isEmpty() ? "" : " (" + m.get(0) + ")";
  }

  private Ipp.Response post(byte[] request, byte[] documentOrNull) {
    HttpURLConnection c = null;
    try {
      URL url = new URI("ipps".equals(printer.getScheme()) ? "https" : "http", null, printer.getHost(),
          printer.getPort() < 0 ? 631 : printer.getPort(), printer.getPath(), null, null).toURL();
      c = (HttpURLConnection) url.openConnection();
      c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      c.setDoOutput(true);
      c.setRequestMethod("POST");
      c.setRequestProperty("Content-Type", "application/ipp");
      c.setFixedLengthStreamingMode((long) request.length + (documentOrNull == null ? 0 : documentOrNull.length));
      try (OutputStream o = c.getOutputStream()) {
        o.write(request);
        if (documentOrNull != null) {
          o.write(documentOrNull);
        }
      }
      int http = c.getResponseCode();
      if (http != 200) {
        throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, "HTTP " + http + " from " + printer);
      }
      byte[] body;
      try (InputStream in = c.getInputStream()) {
        body = in.readAllBytes();
      }
      try {
        return Ipp.decode(body);
      } catch (MalformedDataException e) {
        throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, "not an IPP answer: " + e.getMessage(), e);
      }
    } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, "IPP to " + printer + " failed: " + e, e);
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  /** Nothing to release: each request is its own HTTP exchange. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "CupsPrinter[" + printer + "]";
  }

  /** Builds a {@link CupsPrinter}. */
  public static final class Builder {
    private final URI printer;
    private String id;
    private String user = "perso";
    private boolean trackEscapes;
    private DatacardEscapes embossEscapes;
    private Duration poll = Duration.ofMillis(50);
    private Duration timeout = Duration.ofSeconds(120);

    private Builder(URI printer) {
      Objects.requireNonNull(printer, "printer");
      if (!("ipp".equals(printer.getScheme()) || "ipps".equals(printer.getScheme())) || printer.getHost() == null
          || printer.getPath() == null || printer.getPath().isEmpty()) {
        throw new ValidationException("printer", "must be ipp://host[:port]/printers/NAME, was " + printer);
      }
      this.printer = printer;
    }

    /** @param v the device id (default: the URI) @return this */
    public Builder id(String v) {
      this.id = Objects.requireNonNull(v, "id");
      return this;
    }

    /** @param v requesting-user-name for jobs (default {@code perso}) @return this */
    public Builder user(String v) {
      if (v == null || v.isBlank()) {
        throw new ValidationException("user", "must not be blank");
      }
      this.user = v;
      return this;
    }

    /** @param v true to send stripes as driver text escapes ({@code ~1%...?}) @return this */
    public Builder trackEscapes(boolean v) {
      this.trackEscapes = v;
      return this;
    }

    /**
     * @param v how emboss and indent lines become driver escapes ({@code ~EM%...}), or null for none
     * @return this
     */
    public Builder embossEscapes(DatacardEscapes v) {
      this.embossEscapes = v;
      return this;
    }

    /** @param v how often the job state is asked (default 50 ms) @return this */
    public Builder pollInterval(Duration v) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new ValidationException("pollInterval", "must be positive");
      }
      this.poll = v;
      return this;
    }

    /** @param v how long a job may take to complete (default 120 s) @return this */
    public Builder timeout(Duration v) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new ValidationException("timeout", "must be positive");
      }
      this.timeout = v;
      return this;
    }

    /** @return the printer */
    public CupsPrinter build() {
      return new CupsPrinter(this);
    }
  }
}
