package dev.perso.devices.msr;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceFault;
import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.devices.link.ByteLink;
import dev.perso.devices.msr.internal.MsrFrames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link MagStripeEncoder} driver for the MSR206 / MSR605 / MSR606 / MSR505C command set (notes
 * magstripe-surface.md §3.2) over any {@link ByteLink}: a serial or USB-serial port
 * ({@link dev.perso.devices.serial.SerialLink} at 9600 8N1), a pty, an in-memory link to the
 * {@link Msr605Emulator}, or the MSR605X's HID reports. Opened by address through {@link Msr605DeviceProvider}
 * ({@code msr605:/dev/ttyUSB0?baud=9600}).
 *
 * <p>ISO write takes each track's characters without sentinels (the device adds them) and checks them
 * against the track's character set and length first; ISO read strips the sentinels. Raw write and read
 * take and give {@link RawTrack}s already encoded by the ISO 7813 module's raw codec; this driver sets the
 * device's bits per character and density to match and turns a raw read (MSB first on the wire) into the
 * write orientation. {@link #writeAndVerify} writes, reads back and compares. Every status byte is a typed
 * {@link MsrException}: {@link MsrStatus#fault()} says which {@link DeviceFault}, with a read error on a
 * read as {@link DeviceFault#READ_BACK_MISMATCH}; garbage is {@link DeviceFault#COMMUNICATION_ERROR}; every
 * wait is bounded by {@link MsrOptions}.
 *
 * <pre>{@code
 * try (Msr605Encoder msr = Msr605Encoder.open(SerialLink.open("/dev/ttyUSB0", Msr605Encoder.serialConfig(9600)),
 *     MsrOptions.builder().id("msr605:/dev/ttyUSB0").build())) {
 *   msr.writeAndVerify(card, StripeData.of(Map.of(2, Bytes.secret("4111111111111111=2612101".getBytes()))));
 * }
 * }</pre>
 */
public final class Msr605Encoder implements MagStripeEncoder {
  private static final int[] MAX_CHARS = {76, 37, 104};

  private final ByteLink link;
  private final MsrOptions options;
  private final String id;
  private final int[] bpc = {-1, -1, -1};
  private final int[] bpi = {-1, -1, -1};
  private CoercivityMode coercivity;
  private DeviceFault lastFault;
  private boolean closed;
  private long bytesSent;
  private long bytesReceived;

  private Msr605Encoder(ByteLink link, MsrOptions options) {
    this.link = Objects.requireNonNull(link, "link");
    this.options = Objects.requireNonNull(options, "options");
    this.id = options.id();
  }

  /**
   * Opens the encoder on a link: a communication test (TIMEOUT if the device is silent), then the
   * coercivity of the options if one is set. The link is closed if this fails.
   *
   * @param link the link to the device
   * @param options id, time limits, erase reading, coercivity
   * @return the encoder
   * @throws MsrException if the device does not answer as the manual says
   */
  public static Msr605Encoder open(ByteLink link, MsrOptions options) {
    Msr605Encoder e = new Msr605Encoder(link, options);
    try {
      e.communicationTest();
      if (options.coercivity() != null) {
        e.coercivity(options.coercivity());
      }
      return e;
    } catch (RuntimeException x) {
      e.close();
      throw x;
    }
  }

  /**
   * @param baud bits per second (the devices default to 9600)
   * @return 8 data bits, no parity, 1 stop bit: the MSR206/605 line (notes §3.2)
   */
  public static dev.perso.devices.serial.SerialConfig serialConfig(int baud) {
    return dev.perso.devices.serial.SerialConfig.builder().baud(baud).dataBits(8)
        .parity(dev.perso.devices.serial.SerialConfig.Parity.NONE)
        .stopBits(dev.perso.devices.serial.SerialConfig.StopBits.ONE).build();
  }

  @Override
  public String id() {
    return id;
  }

  /** @return the options */
  public MsrOptions options() {
    return options;
  }

  @Override
  public synchronized DeviceStatus status() {
    if (closed) {
      return DeviceStatus.offline("closed");
    }
    return lastFault != null && lastFault.takesStationOffline()
        ? DeviceStatus.faulted(lastFault, "last command failed") : DeviceStatus.ready();
  }

  /** @return bytes written to the device since it was opened (for link-time figures) */
  public synchronized long bytesSent() {
    return bytesSent;
  }

  /** @return bytes read from the device since it was opened */
  public synchronized long bytesReceived() {
    return bytesReceived;
  }

  /** Resets the device ({@code ESC a}, no answer), waits the reset pause and drops anything pending. */
  public synchronized void reset() {
    run(() -> {
      resetQuietly();
      return null;
    });
  }

  /**
   * Communication test ({@code ESC e}, answer {@code ESC y}). Only the {@code y} is required: the ESC
   * sometimes gets lost on USB-serial adapters (notes §3.2, as libmsr does).
   *
   * @throws MsrException TIMEOUT if the device is silent, COMMUNICATION_ERROR if it answers otherwise
   */
  public synchronized void communicationTest() {
    run(() -> {
      send(MsrFrames.command(MsrFrames.COMM_TEST));
      Reader in = new Reader(options.commandTimeout(), "communication test");
      for (int i = 0; i < 2; i++) {
        int b = in.read();
        if (b == MsrFrames.COMM_OK) {
          return null;
        }
        if (b != MsrFrames.ESC) {
          break;
        }
      }
      throw fault(DeviceFault.COMMUNICATION_ERROR, null, "communication test: answer is not ESC y");
    });
  }

  /**
   * @return the model byte as a character, e.g. {@code "3"} (MSR206: '1' track 2, '2' tracks 2+3, '3' all
   *     three, '5' tracks 1+2)
   */
  public synchronized String model() {
    return run(() -> {
      send(MsrFrames.command(MsrFrames.MODEL));
      Reader in = new Reader(options.commandTimeout(), "model");
      expectEsc(in);
      int model = in.read();
      if (in.read() != 'S') {
        throw fault(DeviceFault.COMMUNICATION_ERROR, null, "model: answer does not end with 'S'");
      }
      return String.valueOf((char) model);
    });
  }

  /** @return the firmware version, e.g. {@code REVU3.01} */
  public synchronized String firmware() {
    return run(() -> {
      send(MsrFrames.command(MsrFrames.FIRMWARE));
      Reader in = new Reader(options.commandTimeout(), "firmware");
      expectEsc(in);
      byte[] v = new byte[8];
      for (int i = 0; i < v.length; i++) {
        v[i] = (byte) in.read();
      }
      String s = new String(v, StandardCharsets.US_ASCII);
      if (!s.startsWith("REV") || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
        throw fault(DeviceFault.COMMUNICATION_ERROR, null, "firmware: answer is not REV?X.XX");
      }
      return s;
    });
  }

  /**
   * Sets the write coercivity ({@code ESC x} Hi-Co, {@code ESC y} Lo-Co; answer {@code ESC 0}).
   *
   * @param mode the coercivity
   */
  public synchronized void coercivity(CoercivityMode mode) {
    Objects.requireNonNull(mode, "mode");
    run(() -> {
      send(MsrFrames.command(mode == CoercivityMode.HI_CO ? MsrFrames.HI_CO : MsrFrames.LO_CO));
      expectOk(new Reader(options.commandTimeout(), "set coercivity"), false);
      coercivity = mode;
      return null;
    });
  }

  /** @return the write coercivity the device reports ({@code ESC d}: {@code ESC H} or {@code ESC L}) */
  public synchronized CoercivityMode coercivity() {
    return run(() -> {
      send(MsrFrames.command(MsrFrames.GET_CO));
      Reader in = new Reader(options.commandTimeout(), "get coercivity");
      expectEsc(in);
      int b = in.read();
      CoercivityMode m = switch (b) {
        case 'H' -> CoercivityMode.HI_CO;
        case 'L' -> CoercivityMode.LO_CO;
        default -> throw fault(DeviceFault.COMMUNICATION_ERROR, null, "get coercivity: answer is neither H nor L");
      };
      coercivity = m;
      return m;
    });
  }

  /**
   * Sets the leading zeros of ISO writes ({@code ESC z <t1&3> <t2>}; default 61 and 22).
   *
   * @param tracks1and3 zero bits before track 1 and 3 data, 0..255
   * @param track2 zero bits before track 2 data, 0..255
   */
  public synchronized void leadingZeros(int tracks1and3, int track2) {
    if (tracks1and3 < 0 || tracks1and3 > 255 || track2 < 0 || track2 > 255) {
      throw new ValidationException("leadingZeros", "must be 0..255 each");
    }
    run(() -> {
      send(MsrFrames.command(MsrFrames.SET_LEADING_ZEROS, tracks1and3, track2));
      expectOk(new Reader(options.commandTimeout(), "set leading zeros"), false);
      return null;
    });
  }

  /** @return the leading zeros ({@code ESC l}): {@code [tracks 1 and 3, track 2]} */
  public synchronized int[] leadingZeros() {
    return run(() -> {
      send(MsrFrames.command(MsrFrames.GET_LEADING_ZEROS));
      Reader in = new Reader(options.commandTimeout(), "check leading zeros");
      expectEsc(in);
      return new int[] {in.read(), in.read()};
    });
  }

  @Override
  public synchronized void write(CardTag card, StripeData data) {
    Objects.requireNonNull(card, "card");
    byte[][] tracks = isoTracks(data);
    run(() -> {
      ensure(iso());
      send(MsrFrames.block(MsrFrames.WRITE_ISO, tracks, false));
      expectOk(new Reader(options.swipeTimeout(), "write"), true);
      return null;
    });
  }

  @Override
  public synchronized StripeData read(CardTag card) {
    Objects.requireNonNull(card, "card");
    return run(() -> {
      ensure(iso());
      send(MsrFrames.command(MsrFrames.READ_ISO));
      MsrFrames.Block block = readBlock(false, "read");
      checkReadStatus(block.status(), "read");
      TreeMap<Integer, Bytes> out = new TreeMap<>();
      for (int t = 1; t <= 3; t++) {
        byte[] d = block.tracks()[t - 1];
        try {
          if (d.length == 0 || (d.length == 1 && d[0] == '+')) {
            continue;
          }
          char ss = t == 1 ? '%' : ';';
          if (d.length < 2 || d[0] != ss || d[d.length - 1] != '?') {
            throw fault(DeviceFault.COMMUNICATION_ERROR, null, "read: track " + t + " lacks its sentinels");
          }
          byte[] chars = Arrays.copyOfRange(d, 1, d.length - 1);
          int bad = firstInvalid(t, chars);
          if (bad >= 0) {
            throw fault(DeviceFault.COMMUNICATION_ERROR, null, "read: track " + t + " character " + (bad + 1)
                + " is outside the track's character set");
          }
          out.put(t, Bytes.secret(chars));
          Arrays.fill(chars, (byte) 0);
        } finally {
          Arrays.fill(d, (byte) 0);
        }
      }
      return StripeData.of(out);
    });
  }

  /**
   * Writes, then reads back (a second swipe on a swipe-through device) and compares every written track.
   *
   * @param card the card at the encoder
   * @param data the tracks
   * @throws MsrException READ_BACK_MISMATCH naming the first track that differs (never its data)
   */
  public synchronized void writeAndVerify(CardTag card, StripeData data) {
    write(card, data);
    StripeData back = read(card);
    int bad = data.firstDifference(back);
    if (bad != 0) {
      lastFault = DeviceFault.READ_BACK_MISMATCH;
      throw new MsrException(id, DeviceFault.READ_BACK_MISMATCH, null, "track " + bad + " reads back different", null);
    }
  }

  @Override
  public synchronized void erase(CardTag card, Set<Integer> tracks) {
    Objects.requireNonNull(card, "card");
    if (tracks == null || tracks.isEmpty()) {
      throw new ValidationException("tracks", "name at least one track to erase");
    }
    for (Integer t : tracks) {
      if (t == null || t < 1 || t > 3) {
        throw new ValidationException("track", "must be 1, 2 or 3, was " + t);
      }
    }
    int select = options.eraseSelect().selectByte(tracks);
    run(() -> {
      send(MsrFrames.command(MsrFrames.ERASE, select));
      expectOk(new Reader(options.swipeTimeout(), "erase"), true);
      return null;
    });
  }

  /**
   * Raw write ({@code ESC n}): sets each track's bits per character and density as its {@link RawTrack}
   * says, then sends the bytes as they are.
   *
   * @param card the card at the encoder
   * @param tracks track number to its raw bytes; tracks not given are not written
   */
  public synchronized void writeRaw(CardTag card, Map<Integer, RawTrack> tracks) {
    Objects.requireNonNull(card, "card");
    byte[][] raw = {new byte[0], new byte[0], new byte[0]};
    TrackSetting[] wanted = new TrackSetting[3];
    tracks.forEach((t, r) -> {
      if (t == null || t < 1 || t > 3) {
        throw new ValidationException("track", "must be 1, 2 or 3, was " + t);
      }
      raw[t - 1] = r.data().toByteArray();
      wanted[t - 1] = r.setting();
    });
    try {
      run(() -> {
        for (int t = 1; t <= 3; t++) {
          if (wanted[t - 1] == null) {
            wanted[t - 1] = TrackSetting.packed(t);
          }
        }
        ensure(wanted);
        send(MsrFrames.block(MsrFrames.WRITE_RAW, raw, true));
        expectOk(new Reader(options.swipeTimeout(), "raw write"), true);
        return null;
      });
    } finally {
      for (byte[] r : raw) {
        Arrays.fill(r, (byte) 0);
      }
    }
  }

  /**
   * Raw read ({@code ESC m}) with each track's setting (8 bpc at the ISO density where not given); packed
   * tracks are turned from the read orientation (MSB first) into the write orientation.
   *
   * @param card the card at the encoder
   * @param settings track number to its setting
   * @return the tracks that carry data, in the write orientation, marked secret
   */
  public synchronized Map<Integer, RawTrack> readRaw(CardTag card, Map<Integer, TrackSetting> settings) {
    Objects.requireNonNull(card, "card");
    TrackSetting[] wanted = new TrackSetting[3];
    settings.forEach((t, s) -> {
      if (t == null || t < 1 || t > 3) {
        throw new ValidationException("track", "must be 1, 2 or 3, was " + t);
      }
      wanted[t - 1] = Objects.requireNonNull(s, "setting");
    });
    return run(() -> {
      for (int t = 1; t <= 3; t++) {
        if (wanted[t - 1] == null) {
          wanted[t - 1] = TrackSetting.packed(t);
        }
      }
      ensure(wanted);
      send(MsrFrames.command(MsrFrames.READ_RAW));
      MsrFrames.Block block = readBlock(true, "raw read");
      checkReadStatus(block.status(), "raw read");
      TreeMap<Integer, RawTrack> out = new TreeMap<>();
      for (int t = 1; t <= 3; t++) {
        byte[] d = block.tracks()[t - 1];
        if (d.length == 0) {
          continue;
        }
        TrackSetting s = wanted[t - 1];
        if (s.bitsPerCharacter() == 8) {
          reverseBits(d);
        }
        try {
          out.put(t, new RawTrack(Bytes.secret(d), s.bitsPerCharacter(), s.bitsPerInch()));
        } catch (ValidationException e) {
          throw fault(DeviceFault.COMMUNICATION_ERROR, null, "raw read: track " + t + " has bits above its "
              + s.bitsPerCharacter() + " bits per character");
        } finally {
          Arrays.fill(d, (byte) 0);
        }
      }
      return Collections.unmodifiableMap(out);
    });
  }

  /**
   * Raw write, then raw read with the same settings, and compares each written track (the read may carry
   * zero bytes after the data, up to the end of the track).
   *
   * @param card the card at the encoder
   * @param tracks track number to its raw bytes
   * @throws MsrException READ_BACK_MISMATCH naming the first track that differs
   */
  public synchronized void writeRawAndVerify(CardTag card, Map<Integer, RawTrack> tracks) {
    writeRaw(card, tracks);
    TreeMap<Integer, TrackSetting> s = new TreeMap<>();
    tracks.forEach((t, r) -> s.put(t, r.setting()));
    Map<Integer, RawTrack> back = readRaw(card, s);
    for (Map.Entry<Integer, RawTrack> e : new TreeMap<>(tracks).entrySet()) {
      RawTrack read = back.get(e.getKey());
      if (e.getValue().data().isEmpty() ? read != null : read == null || !e.getValue().readsBackAs(read)) {
        lastFault = DeviceFault.READ_BACK_MISMATCH;
        throw new MsrException(id, DeviceFault.READ_BACK_MISMATCH, null, "raw track " + e.getKey()
            + " reads back different", null);
      }
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
    return "Msr605Encoder[" + id + "]";
  }

  // ---------------------------------------------------------------------------------------------------

  private interface Op<T> {
    T run();
  }

  private <T> T run(Op<T> op) {
    if (closed) {
      throw new MsrException(id, DeviceFault.COMMUNICATION_ERROR, null, "encoder is closed", null);
    }
    try {
      T out = op.run();
      lastFault = null;
      return out;
    } catch (MsrException e) {
      lastFault = e.fault();
      throw e;
    } catch (MalformedDataException e) {
      lastFault = DeviceFault.COMMUNICATION_ERROR;
      throw new MsrException(id, DeviceFault.COMMUNICATION_ERROR, null, "answer is not as the manual says: byte "
          + e.offset() + ", " + e.reason(), e);
    } catch (TransportException e) {
      lastFault = DeviceFault.COMMUNICATION_ERROR;
      throw new MsrException(id, DeviceFault.COMMUNICATION_ERROR, null, "link failed: " + e.getMessage(), e);
    }
  }

  private void send(byte[] frame) {
    link.discardInput();
    link.write(frame, 0, frame.length);
    bytesSent += frame.length;
  }

  /** Sets the densities and bits per character that differ from what the device is known to have. */
  private void ensure(TrackSetting[] want) {
    for (int t = 1; t <= 3; t++) {
      int d = want[t - 1].bitsPerInch();
      if (bpi[t - 1] != d) {
        int code = switch (t) {
          case 1 -> d == 210 ? 0xA1 : 0xA0;
          case 2 -> d == 210 ? 0xD2 : 0x4B;
          default -> d == 210 ? 0xC1 : 0xC0;
        };
        send(MsrFrames.command(MsrFrames.SET_BPI, code));
        expectOk(new Reader(options.commandTimeout(), "select BPI"), false);
        bpi[t - 1] = d;
      }
    }
    int[] b = {want[0].bitsPerCharacter(), want[1].bitsPerCharacter(), want[2].bitsPerCharacter()};
    if (!Arrays.equals(b, bpc)) {
      send(MsrFrames.command(MsrFrames.SET_BPC, b[0], b[1], b[2]));
      Reader in = new Reader(options.commandTimeout(), "set BPC");
      expectOk(in, false);
      for (int t = 0; t < 3; t++) {
        if (in.read() != b[t]) {
          throw fault(DeviceFault.COMMUNICATION_ERROR, null, "set BPC: the device echoes other values");
        }
      }
      System.arraycopy(b, 0, bpc, 0, 3);
    }
  }

  private static TrackSetting[] iso() {
    return new TrackSetting[] {TrackSetting.iso(1), TrackSetting.iso(2), TrackSetting.iso(3)};
  }

  private MsrFrames.Block readBlock(boolean raw, String what) {
    Reader in = new Reader(options.swipeTimeout(), what);
    return MsrFrames.readBlock(in, raw, true);
  }

  private void checkReadStatus(int status, String what) {
    if (status == MsrStatus.OK.code()) {
      return;
    }
    MsrStatus s = MsrStatus.of(status).orElse(null);
    if (s == null) {
      throw fault(DeviceFault.COMMUNICATION_ERROR, null, what + ": unknown status byte");
    }
    DeviceFault f = s == MsrStatus.READ_WRITE_ERROR ? DeviceFault.READ_BACK_MISMATCH : s.fault();
    throw fault(f, s, what + ": " + s.words());
  }

  private void expectOk(Reader in, boolean card) {
    expectEsc(in);
    int status = in.read();
    if (status == MsrStatus.OK.code()) {
      return;
    }
    MsrStatus s = MsrStatus.of(status).orElse(null);
    if (s == null) {
      throw fault(DeviceFault.COMMUNICATION_ERROR, null, in.what + ": unknown status byte");
    }
    throw fault(card ? s.fault() : DeviceFault.COMMUNICATION_ERROR, s, in.what + ": " + s.words());
  }

  private void expectEsc(Reader in) {
    if (in.read() != MsrFrames.ESC) {
      throw fault(DeviceFault.COMMUNICATION_ERROR, null, in.what + ": answer does not start with ESC");
    }
  }

  private MsrException fault(DeviceFault fault, MsrStatus status, String detail) {
    return new MsrException(id, fault, status, detail, null);
  }

  private void resetQuietly() {
    link.write(MsrFrames.command(MsrFrames.RESET), 0, 2);
    bytesSent += 2;
    long nanos = options.resetPause().toNanos();
    long end = System.nanoTime() + nanos;
    while (nanos > 0 && System.nanoTime() < end) {
      LockSupport.parkNanos(end - System.nanoTime());
    }
    link.discardInput();
    Arrays.fill(bpc, -1);   // a reset may restore the power-on settings
    Arrays.fill(bpi, -1);
  }

  /** Reads a reply: the first byte within the given limit, each further one within the byte timeout. */
  private final class Reader implements MsrFrames.Input {
    private final Duration first;
    private final String what;
    private boolean started;

    Reader(Duration first, String what) {
      this.first = first;
      this.what = what;
    }

    @Override
    public int read() {
      int b = link.read(started ? options.byteTimeout() : first);
      if (b < 0) {
        if (started) {
          throw fault(DeviceFault.TIMEOUT, null, what + ": answer stopped (no byte within "
              + options.byteTimeout().toMillis() + " ms, byteTimeout)");
        }
        throw silent();
      }
      started = true;
      bytesReceived++;
      return b;
    }

    private MsrException silent() {
      if (first != options.swipeTimeout()) {
        return fault(DeviceFault.TIMEOUT, null, what + ": no answer within " + first.toMillis() + " ms (commandTimeout)");
      }
      // Waiting for a swipe: abort it, then find out whether the device is there at all.
      try {
        resetQuietly();
        link.write(MsrFrames.command(MsrFrames.COMM_TEST), 0, 2);
        bytesSent += 2;
        for (int i = 0; i < 2; i++) {
          int b = link.read(options.commandTimeout());
          if (b == MsrFrames.COMM_OK) {
            return fault(DeviceFault.NO_CARD, null, what + ": no card swiped within " + first.toMillis()
                + " ms (swipeTimeout)");
          }
          if (b != MsrFrames.ESC) {
            break;
          }
        }
      } catch (PersoException e) {
        // the link is gone: the device is silent
      }
      return fault(DeviceFault.TIMEOUT, null, what + ": device silent (no answer within " + first.toMillis()
          + " ms, swipeTimeout, nor to a communication test)");
    }
  }

  private static byte[][] isoTracks(StripeData data) {
    Objects.requireNonNull(data, "data");
    byte[][] out = {new byte[0], new byte[0], new byte[0]};
    for (Map.Entry<Integer, Bytes> e : data.tracks().entrySet()) {
      int t = e.getKey();
      byte[] chars = e.getValue().toByteArray();
      if (chars.length > MAX_CHARS[t - 1]) {
        throw new ValidationException("track" + t, "is " + chars.length + " characters without sentinels, over the "
            + MAX_CHARS[t - 1] + " the track holds");
      }
      int bad = firstInvalid(t, chars);
      if (bad >= 0) {
        Arrays.fill(chars, (byte) 0);
        throw new ValidationException("track" + t, "character at position " + (bad + 1)
            + " is not allowed (track " + t + (t == 1 ? " takes ASCII 20..5F" : " takes digits and : ; < = > ?")
            + " without the sentinels % ; ?)");
      }
      out[t - 1] = chars;
    }
    return out;
  }

  /** @return the index of the first character outside the track's set or a sentinel, or -1 */
  static int firstInvalid(int track, byte[] chars) {
    int lo = track == 1 ? 0x20 : 0x30;
    int hi = track == 1 ? 0x5F : 0x3F;
    for (int i = 0; i < chars.length; i++) {
      int c = chars[i] & 0xFF;
      if (c < lo || c > hi || c == '?' || c == (track == 1 ? '%' : ';')) {
        return i;
      }
    }
    return -1;
  }

  static void reverseBits(byte[] d) {
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) (Integer.reverse(d[i] & 0xFF) >>> 24);
    }
  }
}
