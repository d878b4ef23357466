package dev.perso.devices.msr;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.devices.link.ByteLink;
import dev.perso.devices.msr.internal.MsrFrames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The encoder's side of an MSR206 / MSR605 / MSR606: answers the command set byte for byte as the
 * programmer's manuals give it (notes magstripe-surface.md §3.2), with a card at its head whose stripe has a
 * coercivity and recorded tracks, and faults on cue. It serves any {@link ByteLink}: the card end of a
 * {@link dev.perso.devices.link.simulator.MemoryLink} in-process, or one end of a socat pty pair so that the
 * {@link Msr605Encoder} reaches it through jSerialComm like a device on {@code /dev/ttyUSB0}.
 *
 * <p>Behaviour: a card operation (read, write, erase, raw, sensor test) waits until a card is at the head
 * (a reset aborts the wait) and leaves the card there. A write in Lo-Co mode on a Hi-Co stripe answers OK
 * but does not take, as on a real head; the read-back shows it. Tracks are recorded as they were written:
 * ISO text, or raw bytes with the bits per character and density they were written at; a track is read back
 * in the mode it was written (an ISO read of a raw track, or a raw read with other settings, is a read
 * error: converting between them is the ISO 7813 module's codec, not the device's). An absent track reads
 * as {@code 1B 0n} with no data. With {@link Builder#baud(int)} the emulator takes the time the bytes would
 * take on the line at 8N1 (a pty has no baud rate of its own).
 *
 * <pre>{@code
 * MemoryLink.Pair pair = MemoryLink.pair();
 * try (Msr605Emulator emu = Msr605Emulator.builder().build().serve(pair.card());
 *      Msr605Encoder msr = Msr605Encoder.open(pair.host(), MsrOptions.defaults())) {
 *   emu.failNext(MsrStatus.CARD_MOVING_ERROR);   // the next card operation answers 1B 39
 * }
 * }</pre>
 */
public final class Msr605Emulator implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration FRAME_BYTE = Duration.ofSeconds(1);

  /** One recorded track: ISO text with its sentinels, or raw bytes in the write orientation with their setting. */
  private record Recording(byte[] iso, byte[] raw, TrackSetting setting) {}

  private final String model;
  private final String firmware;
  private final long byteNanos;
  private final Duration swipeTime;
  private final Set<Integer> corruptReadAt;
  private int isoReads;
  private ByteLink link;
  private Thread thread;
  private volatile boolean stopped;

  // device state, guarded by this
  private CoercivityMode mode = CoercivityMode.HI_CO;
  private final int[] bpc = {7, 5, 5};
  private final int[] bpi = {210, 75, 210};
  private int leadingZeros13 = 61;
  private int leadingZeros2 = 22;
  private boolean cardPresent;
  private CoercivityMode stripe = CoercivityMode.HI_CO;
  private final Map<Integer, Recording> tracks = new TreeMap<>();
  private final ArrayDeque<MsrStatus> failNext = new ArrayDeque<>();
  private byte[] garbageNext;
  private boolean corruptNextRead;
  private int cutAfter = -1;
  private boolean silent;
  private final List<Bytes> frames = new ArrayList<>();
  private long bytesIn;
  private long bytesOut;
  private int leds;

  private Msr605Emulator(Builder b) {
    this.model = b.model;
    this.firmware = b.firmware;
    this.byteNanos = b.baud == 0 ? 0 : 10_000_000_000L / b.baud;
    this.swipeTime = b.swipeTime;
    this.corruptReadAt = Set.copyOf(b.corruptReadAt);
    this.cardPresent = b.card != null;
    if (b.card != null) {
      this.stripe = b.card;
    }
  }

  /** @return a builder: model '3', firmware REVU3.01, a blank Hi-Co card at the head, no pacing */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts answering on a link in a daemon thread.
   *
   * @param deviceEnd the device's end of the link (closed with the emulator)
   * @return this
   */
  public synchronized Msr605Emulator serve(ByteLink deviceEnd) {
    if (thread != null) {
      throw new IllegalStateException("already serving");
    }
    this.link = Objects.requireNonNull(deviceEnd, "deviceEnd");
    thread = new Thread(this::loop, "msr605-emulator " + deviceEnd.name());
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  // ---------------------------------------------------------------- the card

  /**
   * Puts a card with a blank stripe at the head (replacing any card there).
   *
   * @param stripeCoercivity the stripe's coercivity
   */
  public synchronized void insertBlank(CoercivityMode stripeCoercivity) {
    tracks.clear();
    stripe = Objects.requireNonNull(stripeCoercivity, "stripeCoercivity");
    cardPresent = true;
    notifyAll();
  }

  /**
   * Puts a card already encoded in ISO form at the head (an issued card, e.g. for a rewrite).
   *
   * @param stripeCoercivity the stripe's coercivity
   * @param isoTracks track number to its text with sentinels, e.g. {@code ;4111111111111111=2612101?}
   */
  public synchronized void insertEncoded(CoercivityMode stripeCoercivity, Map<Integer, String> isoTracks) {
    insertBlank(stripeCoercivity);
    isoTracks.forEach((t, text) -> tracks.put(t, new Recording(text.getBytes(StandardCharsets.US_ASCII), null, null)));
  }

  /** Takes the card away: card operations wait until one is inserted (or a reset comes). */
  public synchronized void removeCard() {
    cardPresent = false;
  }

  /** @return whether a card is at the head */
  public synchronized boolean hasCard() {
    return cardPresent;
  }

  /**
   * @return the card's ISO tracks with their sentinels (secret), for tests to look at the card itself;
   *     raw-recorded tracks are not included
   */
  public synchronized Map<Integer, Bytes> isoTracks() {
    TreeMap<Integer, Bytes> out = new TreeMap<>();
    tracks.forEach((t, r) -> {
      if (r.iso() != null) {
        out.put(t, Bytes.secret(r.iso()));
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /** @return the numbers of the tracks that carry a recording */
  public synchronized Set<Integer> recordedTracks() {
    return Set.copyOf(tracks.keySet());
  }

  // ---------------------------------------------------------------- faults on cue

  /**
   * @param status the status the next card operation answers instead of doing its work (queued: several
   *     calls fail several operations)
   */
  public synchronized void failNext(MsrStatus status) {
    failNext.add(Objects.requireNonNull(status, "status"));
  }

  /** @param bytes what the next answer (to any command that answers) is replaced by */
  public synchronized void garbageNext(byte[] bytes) {
    garbageNext = bytes.clone();
  }

  /** The next ISO read changes one character of the first recorded track (a read-back mismatch). */
  public synchronized void corruptNextRead() {
    corruptNextRead = true;
  }

  /**
   * The next answer stops after {@code n} bytes and the emulator then answers nothing more, as a device
   * unplugged in the middle of a command.
   *
   * @param n bytes of the next answer that still go out
   */
  public synchronized void unplugAfter(int n) {
    cutAfter = n;
  }

  /** @param on true: read and drop everything, answer nothing (a silent device) */
  public synchronized void silent(boolean on) {
    silent = on;
  }

  /** @return every command frame received, in order (at most the last 256; data is secret) */
  public synchronized List<Bytes> frames() {
    return List.copyOf(frames);
  }

  /** @return bytes received and sent: {@code [in, out]} */
  public synchronized long[] byteCounts() {
    return new long[] {bytesIn, bytesOut};
  }

  /** @return the write coercivity mode the device is in */
  public synchronized CoercivityMode mode() {
    return mode;
  }

  /** @return the bits per character of tracks 1..3 */
  public synchronized int[] bitsPerCharacter() {
    return bpc.clone();
  }

  /** @return the LED state: 0 off, 0x82 all on, 0x83 green, 0x84 yellow, 0x85 red */
  public synchronized int leds() {
    return leds;
  }

  @Override
  public void close() {
    stopped = true;
    synchronized (this) {
      notifyAll();
    }
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (link != null) {
      link.close();
    }
  }

  // ---------------------------------------------------------------- the loop

  private void loop() {
    while (!stopped) {
      int b;
      try {
        b = link.read(POLL);
      } catch (PersoException e) {
        return;   // link closed
      }
      if (b < 0) {
        continue;
      }
      long start = System.nanoTime();
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write(b);
      synchronized (this) {
        bytesIn++;
        if (silent) {
          continue;
        }
      }
      if (b != MsrFrames.ESC) {
        continue;   // stray byte between commands
      }
      try {
        int cmd = readFrameByte(frame);
        byte[] answer = handle(cmd, frame, start);
        record(frame);
        if (answer != null) {
          send(answer, start, frame.size());
        }
      } catch (MalformedDataException e) {
        record(frame);
        send(new byte[] {MsrFrames.ESC, (byte) MsrStatus.COMMAND_FORMAT_ERROR.code()}, start, frame.size());
      } catch (PersoException e) {
        if (stopped) {
          return;
        }
      }
    }
  }

  private int readFrameByte(ByteArrayOutputStream frame) {
    int b = link.read(FRAME_BYTE);
    if (b < 0) {
      throw new MalformedDataException(frame.size(), "command stopped");
    }
    synchronized (this) {
      bytesIn++;
    }
    frame.write(b);
    return b;
  }

  private synchronized void record(ByteArrayOutputStream frame) {
    if (frames.size() == 256) {
      frames.remove(0);
    }
    frames.add(Bytes.secret(frame.toByteArray()));
  }

  private byte[] handle(int cmd, ByteArrayOutputStream frame, long start) {
    MsrFrames.Input in = () -> readFrameByte(frame);
    switch (cmd) {
      case MsrFrames.RESET:
        return null;
      case MsrFrames.COMM_TEST:
        return esc(MsrFrames.COMM_OK);
      case MsrFrames.MODEL:
        return esc(model.charAt(0), 'S');
      case MsrFrames.FIRMWARE: {
        byte[] out = new byte[9];
        out[0] = MsrFrames.ESC;
        System.arraycopy(firmware.getBytes(StandardCharsets.US_ASCII), 0, out, 1, 8);
        return out;
      }
      case MsrFrames.HI_CO:
      case MsrFrames.LO_CO:
        synchronized (this) {
          mode = cmd == MsrFrames.HI_CO ? CoercivityMode.HI_CO : CoercivityMode.LO_CO;
        }
        return ok();
      case MsrFrames.GET_CO:
        synchronized (this) {
          return esc(mode == CoercivityMode.HI_CO ? 'H' : 'L');
        }
      case MsrFrames.SET_LEADING_ZEROS: {
        int lz13 = in.read();
        int lz2 = in.read();
        synchronized (this) {
          leadingZeros13 = lz13;
          leadingZeros2 = lz2;
        }
        return ok();
      }
      case MsrFrames.GET_LEADING_ZEROS:
        synchronized (this) {
          return esc(leadingZeros13, leadingZeros2);
        }
      case MsrFrames.SET_BPI:
        return setBpi(in.read());
      case MsrFrames.SET_BPC: {
        int[] b = {in.read(), in.read(), in.read()};
        for (int v : b) {
          if (v < 5 || v > 8) {
            return esc(MsrStatus.SET_FAILED.code());
          }
        }
        synchronized (this) {
          System.arraycopy(b, 0, bpc, 0, 3);
        }
        return esc(MsrStatus.OK.code(), b[0], b[1], b[2]);
      }
      case 0x81:
      case 0x82:
      case 0x83:
      case 0x84:
      case 0x85:
        synchronized (this) {
          leds = cmd == 0x81 ? 0 : cmd;
        }
        return null;
      case MsrFrames.RAM_TEST:
        return ok();
      case 0x86: // sensor test: answers when a card is sensed
        return awaitCard(frame) ? ok() : null;
      case MsrFrames.ERASE: {
        int select = in.read();
        return cardOperation(frame, () -> erase(select));
      }
      case MsrFrames.WRITE_ISO: {
        MsrFrames.Block block = MsrFrames.readBlock(in, false, false);
        return cardOperation(frame, () -> writeIso(block.tracks()));
      }
      case MsrFrames.WRITE_RAW: {
        MsrFrames.Block block = MsrFrames.readBlock(in, true, false);
        return cardOperation(frame, () -> writeRaw(block.tracks()));
      }
      case MsrFrames.READ_ISO:
        return cardOperation(frame, this::readIso);
      case MsrFrames.READ_RAW:
        return cardOperation(frame, this::readRaw);
      default:
        return esc(MsrStatus.INVALID_COMMAND.code());
    }
  }

  private byte[] cardOperation(ByteArrayOutputStream frame, java.util.function.Supplier<byte[]> work) {
    if (!awaitCard(frame)) {
      return null;   // reset while waiting
    }
    if (!swipeTime.isZero()) {
      LockSupport.parkNanos(swipeTime.toNanos());
    }
    synchronized (this) {
      MsrStatus fail = failNext.poll();
      if (fail != null) {
        boolean read = (frame.toByteArray()[1] & 0xFF) == MsrFrames.READ_ISO
            || (frame.toByteArray()[1] & 0xFF) == MsrFrames.READ_RAW;
        byte[][] none = {new byte[0], new byte[0], new byte[0]};
        boolean raw = (frame.toByteArray()[1] & 0xFF) == MsrFrames.READ_RAW;
        return read ? withStatus(MsrFrames.block(-1, none, raw), fail.code()) : esc(fail.code());
      }
      return work.get();
    }
  }

  /** Waits for a card; a reset ({@code ESC a}) aborts the wait. @return false if aborted */
  private boolean awaitCard(ByteArrayOutputStream frame) {
    int pendingEsc = 0;
    while (!stopped) {
      synchronized (this) {
        if (cardPresent) {
          return true;
        }
      }
      int b = link.read(POLL);
      if (b < 0) {
        continue;
      }
      synchronized (this) {
        bytesIn++;
      }
      if (pendingEsc == MsrFrames.ESC && b == MsrFrames.RESET) {
        record(frame);
        frame.reset();
        frame.write(MsrFrames.ESC);
        frame.write(MsrFrames.RESET);
        return false;
      }
      pendingEsc = b;
    }
    return false;
  }

  private byte[] setBpi(int code) {
    int track;
    int density;
    switch (code) {
      case 0xA1 -> { track = 1; density = 210; }
      case 0xA0 -> { track = 1; density = 75; }
      case 0xD2 -> { track = 2; density = 210; }
      case 0x4B -> { track = 2; density = 75; }
      case 0xC1 -> { track = 3; density = 210; }
      case 0xC0 -> { track = 3; density = 75; }
      default -> {
        return esc(MsrStatus.SET_FAILED.code());
      }
    }
    synchronized (this) {
      bpi[track - 1] = density;
    }
    return ok();
  }

  // guarded by this (called from cardOperation)
  private byte[] erase(int select) {
    Set<Integer> which = EraseSelect.MANUAL.tracks(select);
    if (which.isEmpty()) {
      return esc(MsrStatus.SET_FAILED.code());
    }
    if (takes()) {
      tracks.keySet().removeAll(which);
    }
    return ok();
  }

  private byte[] writeIso(byte[][] data) {
    for (int t = 1; t <= 3; t++) {
      byte[] d = data[t - 1];
      if (d.length > new int[] {76, 37, 104}[t - 1] || Msr605Encoder.firstInvalid(t, d) >= 0) {
        return esc(MsrStatus.READ_WRITE_ERROR.code());
      }
    }
    if (takes()) {
      for (int t = 1; t <= 3; t++) {
        byte[] d = data[t - 1];
        if (d.length == 0) {
          continue;
        }
        byte[] text = new byte[d.length + 2];
        text[0] = (byte) (t == 1 ? '%' : ';');
        System.arraycopy(d, 0, text, 1, d.length);
        text[text.length - 1] = '?';
        tracks.put(t, new Recording(text, null, null));
      }
    }
    return ok();
  }

  private byte[] writeRaw(byte[][] data) {
    for (int t = 1; t <= 3; t++) {
      if (bpc[t - 1] < 8) {
        for (byte b : data[t - 1]) {
          if (((b & 0xFF) >>> bpc[t - 1]) != 0) {
            return esc(MsrStatus.READ_WRITE_ERROR.code());
          }
        }
      }
    }
    if (takes()) {
      for (int t = 1; t <= 3; t++) {
        if (data[t - 1].length > 0) {
          tracks.put(t, new Recording(null, data[t - 1].clone(), new TrackSetting(bpc[t - 1], bpi[t - 1])));
        }
      }
    }
    return ok();
  }

  private byte[] readIso() {
    byte[][] out = {new byte[0], new byte[0], new byte[0]};
    for (Map.Entry<Integer, Recording> e : tracks.entrySet()) {
      if (e.getValue().iso() == null) {
        return withStatus(MsrFrames.block(-1, new byte[][] {new byte[0], new byte[0], new byte[0]}, false),
            MsrStatus.READ_WRITE_ERROR.code());
      }
      out[e.getKey() - 1] = e.getValue().iso().clone();
    }
    isoReads++;
    if (corruptNextRead || corruptReadAt.contains(isoReads)) {
      corruptNextRead = false;
      for (byte[] d : out) {
        if (d.length > 2) {
          int i = d.length / 2;
          d[i] = (byte) (d[i] == '1' ? '2' : '1');
          break;
        }
      }
    }
    return withStatus(MsrFrames.block(-1, out, false), MsrStatus.OK.code());
  }

  private byte[] readRaw() {
    byte[][] out = {new byte[0], new byte[0], new byte[0]};
    for (Map.Entry<Integer, Recording> e : tracks.entrySet()) {
      Recording r = e.getValue();
      int t = e.getKey();
      if (r.raw() == null || r.setting().bitsPerCharacter() != bpc[t - 1] || r.setting().bitsPerInch() != bpi[t - 1]) {
        return withStatus(MsrFrames.block(-1, new byte[][] {new byte[0], new byte[0], new byte[0]}, true),
            MsrStatus.READ_WRITE_ERROR.code());
      }
      byte[] d = r.raw().clone();
      if (bpc[t - 1] == 8) {
        Msr605Encoder.reverseBits(d);   // raw read returns the stream MSB first (notes §1.6 item 4)
      }
      out[t - 1] = d;
    }
    return withStatus(MsrFrames.block(-1, out, true), MsrStatus.OK.code());
  }

  /** @return whether a write takes on the card's stripe: not in Lo-Co mode on a Hi-Co stripe */
  private boolean takes() {
    return !(mode == CoercivityMode.LO_CO && stripe == CoercivityMode.HI_CO);
  }

  private void send(byte[] answer, long start, int inBytes) {
    byte[] out = answer;
    boolean unplug = false;
    synchronized (this) {
      if (garbageNext != null) {
        out = garbageNext;
        garbageNext = null;
      }
      if (cutAfter >= 0) {
        out = Arrays.copyOf(out, Math.min(cutAfter, out.length));
        cutAfter = -1;
        unplug = true;
      }
      bytesOut += out.length;
    }
    if (byteNanos > 0) {
      long due = start + (inBytes + (long) out.length) * byteNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0 && !stopped) {
        LockSupport.parkNanos(wait);
      }
    }
    try {
      link.write(out, 0, out.length);
    } catch (PersoException e) {
      stopped = true;
      return;
    }
    if (unplug) {
      synchronized (this) {
        silent = true;
      }
    }
  }

  private static byte[] ok() {
    return esc(MsrStatus.OK.code());
  }

  private static byte[] esc(int... bytes) {
    byte[] out = new byte[1 + bytes.length];
    out[0] = MsrFrames.ESC;
    for (int i = 0; i < bytes.length; i++) {
      out[1 + i] = (byte) bytes[i];
    }
    return out;
  }

  private static byte[] withStatus(byte[] block, int status) {
    byte[] out = Arrays.copyOf(block, block.length + 2);
    out[block.length] = MsrFrames.ESC;
    out[block.length + 1] = (byte) status;
    return out;
  }

  /** Configures an {@link Msr605Emulator}. */
  public static final class Builder {
    private String model = "3";
    private String firmware = "REVU3.01";
    private int baud;
    private Duration swipeTime = Duration.ZERO;
    private CoercivityMode card = CoercivityMode.HI_CO;
    private final java.util.TreeSet<Integer> corruptReadAt = new java.util.TreeSet<>();

    private Builder() {}

    /** @param reads 1-based numbers of the ISO reads that change one character (read-back mismatches on cue) @return this */
    public Builder corruptReadAt(int... reads) {
      for (int r : reads) {
        if (r < 1) {
          throw new ValidationException("corruptReadAt", "read numbers start at 1, was " + r);
        }
        corruptReadAt.add(r);
      }
      return this;
    }

    /** @param v the model byte as one character ('1', '2', '3', '5') @return this */
    public Builder model(String v) {
      if (v == null || v.length() != 1) {
        throw new ValidationException("model", "must be one character");
      }
      this.model = v;
      return this;
    }

    /** @param v the firmware answer, 8 characters {@code REV?X.XX} @return this */
    public Builder firmware(String v) {
      if (v == null || v.length() != 8 || !v.startsWith("REV")) {
        throw new ValidationException("firmware", "must be 8 characters REV?X.XX");
      }
      this.firmware = v;
      return this;
    }

    /** @param v bits per second to take the line's time at (8N1: 10 bits a byte); 0 for none @return this */
    public Builder baud(int v) {
      if (v < 0) {
        throw new ValidationException("baud", "must not be negative");
      }
      this.baud = v;
      return this;
    }

    /** @param v time a card operation takes once the card is there (the swipe) @return this */
    public Builder swipeTime(Duration v) {
      if (v == null || v.isNegative()) {
        throw new ValidationException("swipeTime", "must not be negative");
      }
      this.swipeTime = v;
      return this;
    }

    /** @param v the stripe of the blank card at the head at start, or null for no card @return this */
    public Builder card(CoercivityMode v) {
      this.card = v;
      return this;
    }

    /** @return the emulator (not serving yet) */
    public Msr605Emulator build() {
      return new Msr605Emulator(this);
    }
  }
}
