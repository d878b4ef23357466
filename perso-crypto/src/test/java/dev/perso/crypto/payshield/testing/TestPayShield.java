package dev.perso.crypto.payshield.testing;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.Ibm3624;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.crypto.payshield.internal.Fields;
import dev.perso.crypto.payshield.internal.HostMessage;
import dev.perso.crypto.payshield.internal.ProjectDefined;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;

/**
 * A payShield host-protocol HSM on loopback with the Thales test LMK ({@link TestLmk}), for tests,
 * demos and benchmarks. It answers byte for byte as notes/payshield.md defines each command (§1 framing,
 * §2 error codes, §4 field layouts) and the project-defined commands of
 * {@code dev.perso.crypto.payshield.internal.ProjectDefined}; keys decrypted under the LMK must have odd
 * parity (error 10), a key type a command does not accept gives its error (05 for M0/M2/M4/M6/M8, 28
 * otherwise), a short or malformed body gives 15, an unknown or disabled command gives 68.
 *
 * <p>Faults on cue: {@link #dropNext}, {@link #delayNext}, {@link #garbageNext} act on the next request
 * with that command code.
 *
 * <pre>{@code
 * try (TestPayShield hsm = TestPayShield.start()) {
 *   PayShieldBackend b = PayShieldBackend.builder().address("127.0.0.1", hsm.port()).build();
 * }
 * }</pre>
 */
public final class TestPayShield implements AutoCloseable {
  /** The LMK-encrypted PIN length L (console setting; notes §3 "LMK-encrypted PIN"). */
  public static final int PIN_LENGTH = 13;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> COMMANDS = Set.of("NC", "B2", "A0", "A6", "A8", "BU", "CW", "CY", "DG", "DE", "BA",
      "M0", "M2", "M4", "M6", "M8", "KQ", ProjectDefined.TRANSLATE_PIN_BLOCK, ProjectDefined.IMPORT_CLEAR, ProjectDefined.DERIVE,
      ProjectDefined.TRANSLATE_UNDER_KEK);

  private enum Fault { DROP, GARBAGE }

  private final ServerSocket server;
  private final int headerLength;
  private final Thread acceptor;
  private final List<Socket> clients = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedQueue<Object>> faults = new ConcurrentHashMap<>();
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();
  private final SoftwareBackend sw = new SoftwareBackend();
  private volatile boolean closed;

  private TestPayShield(ServerSocket server, int headerLength) {
    this.server = server;
    this.headerLength = headerLength;
    this.acceptor = new Thread(this::accept, "test-payshield-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** @return an HSM on a free loopback port, header length 4 */
  public static TestPayShield start() {
    return start(0, 4, ServerSocketFactory.getDefault());
  }

  /**
   * @param port a port (0 = any free one)
   * @param headerLength the message header length
   * @param factory plain or TLS server sockets
   * @return a running HSM on loopback
   */
  public static TestPayShield start(int port, int headerLength, ServerSocketFactory factory) {
    try {
      ServerSocket s = factory.createServerSocket(port, 50, InetAddress.getLoopbackAddress());
      return new TestPayShield(s, headerLength);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on loopback port " + port, e);
    }
  }

  /** @return the TCP port */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * @param command a command code
   * @return how many requests with that code arrived
   */
  public int received(String command) {
    AtomicInteger n = received.get(command);
    return n == null ? 0 : n.get();
  }

  /** @param command the next request with this code is read, then the connection is closed unanswered */
  public void dropNext(String command) {
    faults.computeIfAbsent(command, c -> new ConcurrentLinkedQueue<>()).add(Fault.DROP);
  }

  /**
   * @param command the next request with this code is answered after {@code delay}
   * @param delay the delay
   */
  public void delayNext(String command, Duration delay) {
    faults.computeIfAbsent(command, c -> new ConcurrentLinkedQueue<>()).add(delay);
  }

  /** @param command the next request with this code is answered with a frame of random bytes */
  public void garbageNext(String command) {
    faults.computeIfAbsent(command, c -> new ConcurrentLinkedQueue<>()).add(Fault.GARBAGE);
  }

  /** @param command answer this command with 68 (disabled) from now on */
  public void disable(String command) {
    disabled.add(command);
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        clients.add(s);
        Thread t = new Thread(() -> serve(s), "test-payshield-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s; DataInputStream in = new DataInputStream(s.getInputStream());
         DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
      while (!closed) {
        int n;
        try {
          n = in.readUnsignedShort();
        } catch (IOException eof) {
          return;
        }
        byte[] payload = new byte[n];
        in.readFully(payload);
        byte[] answer;
        String code = payload.length >= headerLength + 2
            ? new String(payload, headerLength, 2, StandardCharsets.US_ASCII) : "";
        received.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        Object fault = faults.containsKey(code) ? faults.get(code).poll() : null;
        if (fault == Fault.DROP) {
          return;
        }
        if (fault instanceof Duration) {
          Thread.sleep(((Duration) fault).toMillis());
        }
        if (fault == Fault.GARBAGE) {
          answer = new byte[2 + 7];
          RANDOM.nextBytes(answer);
          answer[0] = 0;
          answer[1] = 7;
        } else {
          answer = respond(payload);
        }
        out.write(answer);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // connection closed by the client or by close()
    }
  }

  /**
   * The answer to one request (exposed for the frame-level tests).
   *
   * @param payload the message after the length prefix
   * @return the framed answer
   */
  public byte[] respond(byte[] payload) {
    if (payload.length < headerLength + 2) {
      // too short to carry a command: answered as an invalid header (notes §2: 51)
      return new HostMessage("0".repeat(headerLength), "ZZ", "51".getBytes(StandardCharsets.US_ASCII)).encode();
    }
    HostMessage m;
    try {
      m = HostMessage.decode(payload, headerLength);
    } catch (PersoException e) {
      return new HostMessage("0".repeat(headerLength), "ZZ", "51".getBytes(StandardCharsets.US_ASCII)).encode();
    }
    String command = m.code();
    String response = HostMessage.responseCode(command);
    byte[] body = m.body();
    // End Message Delimiter 0x19 + trailer (≤32): located after the fields are parsed, since binary fields
    // may hold 0x19 (notes §1 "0x19 caveat"); an error answer found before that echoes the last 0x19 tail
    byte[] trailer = new byte[0];
    for (int i = body.length - 1; i >= 0 && i >= body.length - 33; i--) {
      if (body[i] == 0x19) {
        trailer = Arrays.copyOfRange(body, i, body.length);
        break;
      }
    }
    byte[] fields;
    if (!COMMANDS.contains(command) || disabled.contains(command)) {
      fields = "68".getBytes(StandardCharsets.US_ASCII);
    } else {
      try {
        Fields.Reader r = new Fields.Reader(body);
        fields = handle(command, r);
        trailer = r.trailer();
      } catch (HsmError e) {
        fields = e.code.getBytes(StandardCharsets.US_ASCII);
      } catch (PersoException | IllegalArgumentException e) {
        fields = "15".getBytes(StandardCharsets.US_ASCII);
      } catch (RuntimeException e) {
        // a defect of this test HSM: answered as an LMK error so the test that hit it fails visibly
        e.printStackTrace();
        fields = "13".getBytes(StandardCharsets.US_ASCII);
      }
    }
    byte[] all = Arrays.copyOf(fields, fields.length + trailer.length);
    System.arraycopy(trailer, 0, all, fields.length, trailer.length);
    return new HostMessage(m.header(), response, all).encode();
  }

  /** An error answer. */
  private static final class HsmError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    HsmError(String code) {
      super(code, null, false, false);
      this.code = code;
    }
  }

  // ---- keys ------------------------------------------------------------------------------------

  /** A key field parsed and decrypted: its clear value and scheme. */
  private static final class Key {
    final byte[] clear;
    final char scheme;

    Key(byte[] clear, char scheme) {
      this.clear = clear;
      this.scheme = scheme;
    }

    KeyAlgorithm algorithm() {
      return KeyAlgorithm.desForLength(clear.length);
    }

    ClearKeyRef ref(KeyUsage usage) {
      return ClearKeyRef.of(algorithm(), usage, Bytes.of(clear));
    }
  }

  private static char schemeOf(String field) {
    char c = field.charAt(0);
    return Character.digit(c, 16) >= 0 ? 'Z' : c;
  }

  private static byte[] hexOf(String field) {
    return Bytes.fromHex(Character.digit(field.charAt(0), 16) >= 0 ? field : field.substring(1)).toByteArray();
  }

  /** Decrypts a key field under the LMK with a key type; parity error → {@code parityError}. */
  private static Key lmkKey(String field, String type, String parityError) {
    char scheme = schemeOf(field);
    if (scheme == 'S') {
      throw new HsmError("26");   // key-block LMK crypto is not public: this HSM holds a variant LMK only
    }
    if (scheme != 'Z' && scheme != 'U' && scheme != 'T') {
      throw new HsmError("26");
    }
    if (!TestLmk.isKeyType(type)) {
      throw new HsmError("28");
    }
    byte[] clear = TestLmk.decrypt(type, Bytes.of(hexOf(field))).toByteArray();
    if (!TestLmk.oddParity(clear)) {
      throw new HsmError(parityError);
    }
    return new Key(clear, scheme);
  }

  private static String underLmk(String type, byte[] clear) {
    String hex = TestLmk.encrypt(type, Bytes.of(clear)).toHex();
    return clear.length == 8 ? hex : (clear.length == 16 ? "U" : "T") + hex;
  }

  private String kcv6(byte[] clear) {
    try (ClearKeyRef k = ClearKeyRef.of(KeyAlgorithm.desForLength(clear.length), KeyUsage.DATA, Bytes.of(clear))) {
      return sw.kcv(k, KcvMethod.ENCRYPT_ZEROS, 3).hex();
    }
  }

  private static String type(Fields.Reader r, Set<String> accepted, String error) {
    String t = r.text(3, "key type");
    if (!accepted.contains(t)) {
      throw new HsmError(error);
    }
    return t;
  }

  private static byte[] ok(String... fields) {
    return ("00" + String.join("", fields)).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] okBinary(String prefix, byte[] data) {
    byte[] p = ("00" + prefix).getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(p, p.length + data.length);
    System.arraycopy(data, 0, out, p.length, data.length);
    return out;
  }

  private static String hex4(int n) {
    return String.format("%04X", n);
  }

  // ---- commands --------------------------------------------------------------------------------

  private byte[] handle(String command, Fields.Reader r) {
    switch (command) {
      case "NC": r.end("NC"); return ok(TestLmk.checkValue(), "0007-E000");
      case "B2": return b2(r);
      case "A0": return a0(r);
      case "A6": return a6(r);
      case "A8": return a8(r);
      case "BU": return bu(r);
      case "CW": return cw(r, false);
      case "CY": return cw(r, true);
      case "BA": return ba(r);
      case "DG": return dg(r);
      case "DE": return de(r);
      case "M0": return m0m2(r, true);
      case "M2": return m0m2(r, false);
      case "M4": return m4(r);
      case "M6": return m6m8(r, false);
      case "M8": return m6m8(r, true);
      case "KQ": return kq(r);
      case ProjectDefined.TRANSLATE_PIN_BLOCK: return xp(r);
      case ProjectDefined.IMPORT_CLEAR: return xk(r);
      case ProjectDefined.DERIVE: return xd(r);
      case ProjectDefined.TRANSLATE_UNDER_KEK: return xt(r);
      default: throw new HsmError("68");
    }
  }

  /** B2 echo (notes §4 B2): length 4H · data; shorter data → 80, longer → 15. */
  private static byte[] b2(Fields.Reader r) {
    int n = r.hexNumber(4, "length");
    if (r.remaining() < n) {
      throw new HsmError("80");
    }
    byte[] data = r.bytes(n, "data");
    r.end("B2");   // more data than announced (and no trailer) -> 15
    return okBinary("", data);
  }

  /** A0 mode 0/1 (notes §4 A0). */
  private byte[] a0(Fields.Reader r) {
    String mode = r.text(1, "mode");
    if (!mode.equals("0") && !mode.equals("1")) {
      throw new HsmError("15");
    }
    String type = r.text(3, "key type");
    if (!TestLmk.isKeyType(type)) {
      throw new HsmError("28");
    }
    char scheme = r.text(1, "scheme").charAt(0);
    int len = scheme == 'U' ? 16 : scheme == 'T' ? 24 : scheme == 'Z' ? 8 : -1;
    if (len < 0) {
      throw new HsmError("26");
    }
    byte[] key = new byte[len];
    RANDOM.nextBytes(key);
    TestLmk.withOddParity(key);
    String under = underLmk(type, key);
    if (mode.equals("1")) {
      Key zmk = lmkKey(r.key("ZMK"), "000", "10");
      char zs = r.text(1, "ZMK scheme").charAt(0);
      r.end("A0");
      return ok(under, underZmk(zmk.clear, key, zs), kcv6(key));
    }
    r.end("A0");
    return ok(under, kcv6(key));
  }

  private static String underZmk(byte[] zmk, byte[] key, char scheme) {
    switch (scheme) {
      case 'X': case 'Y': return scheme + Bytes.of(TestLmk.ecb(zmk, key, true)).toHex();
      case 'U': case 'T': return scheme + Bytes.of(TestLmk.schemeCrypt(zmk, key, true)).toHex();
      case 'Z': return Bytes.of(TestLmk.ecb(zmk, key, true)).toHex();
      default: throw new HsmError("26");
    }
  }

  /** A6 import under ZMK (notes §4 A6): 01 = key parity advice, body still returned. */
  private byte[] a6(Fields.Reader r) {
    String type = r.text(3, "key type");
    if (!TestLmk.isKeyType(type)) {
      throw new HsmError("28");
    }
    Key zmk = lmkKey(r.key("ZMK"), "000", "10");
    String field = r.key("key under ZMK");
    char zs = schemeOf(field);
    byte[] c = hexOf(field);
    byte[] key;
    switch (zs) {
      case 'X': case 'Y': case 'Z': key = TestLmk.ecb(zmk.clear, c, false); break;
      case 'U': case 'T': key = TestLmk.schemeCrypt(zmk.clear, c, false); break;
      default: throw new HsmError("26");
    }
    char lmkScheme = r.text(1, "LMK scheme").charAt(0);
    if ("UTZ".indexOf(lmkScheme) < 0 || (lmkScheme == 'U' ? 16 : lmkScheme == 'T' ? 24 : 8) != key.length) {
      throw new HsmError("26");
    }
    r.end("A6");
    String err = TestLmk.oddParity(key) ? "00" : "01";
    byte[] answer = ok(underLmk(type, key), kcv6(key));
    answer[0] = (byte) err.charAt(0);
    answer[1] = (byte) err.charAt(1);
    return answer;
  }

  /** A8 export under ZMK (notes §4 A8). */
  private byte[] a8(Fields.Reader r) {
    String type = r.text(3, "key type");
    if (!TestLmk.isKeyType(type)) {
      throw new HsmError("28");
    }
    Key zmk = lmkKey(r.key("ZMK"), "000", "10");
    Key key = lmkKey(r.key("key"), type, "11");
    char zs = r.text(1, "ZMK scheme").charAt(0);
    r.end("A8");
    return ok(underZmk(zmk.clear, key.clear, zs), kcv6(key.clear));
  }

  /** BU (notes §4 BU): FF + length flag + key + ;type + ;00 + KCV type. */
  private byte[] bu(Fields.Reader r) {
    String code = r.text(2, "key type code");
    String flag = r.text(1, "length flag");
    String field = r.key("key");
    String type;
    if (code.equals("FF")) {
      if (!r.consume(';')) {
        throw new HsmError("15");
      }
      type = r.text(3, "key type");
    } else {
      type = "0" + code;
    }
    String kcvType = "0";
    if (r.consume(';')) {
      r.text(2, "reserved");
      kcvType = r.text(1, "KCV type");
    }
    r.end("BU");
    Key k = lmkKey(field, type, "10");
    if (!flag.equals(k.clear.length == 8 ? "0" : k.clear.length == 16 ? "1" : "2")) {
      throw new HsmError("15");
    }
    try (ClearKeyRef ref = k.ref(KeyUsage.DATA)) {
      String full = sw.kcv(ref, KcvMethod.ENCRYPT_ZEROS, 8).hex();
      return ok(kcvType.equals("1") ? full.substring(0, 6) : full);
    }
  }

  /** CW / CY (notes §4 CW, CY): CVK · PAN · ';' · expiry 4N · service code 3N [· CVV for CY before PAN]. */
  private byte[] cw(Fields.Reader r, boolean verify) {
    String cvkField = r.key("CVK");
    String given = verify ? r.text(3, "CVV") : null;
    StringBuilder pan = new StringBuilder();
    while (!r.consume(';')) {
      pan.append(r.text(1, "PAN"));
      if (pan.length() > 19) {
        throw new HsmError("15");
      }
    }
    String expiry = r.text(4, "expiry");
    String sc = r.text(3, "service code");
    r.end("CW");
    Key cvk = lmkKey(cvkField, "402", "10");
    if (cvk.clear.length != 16) {
      throw new HsmError("27");
    }
    try (ClearKeyRef k = cvk.ref(KeyUsage.CVK)) {
      String cvv = sw.cvv(k, CvvInput.of(pan.toString(), expiry, sc));
      if (verify) {
        if (!cvv.equals(given)) {
          throw new HsmError("01");
        }
        return ok();
      }
      return ok(cvv);
    }
  }

  /**
   * Project-defined LMK-PIN cipher (the real one is not public, notes §3): each character of the clear
   * PIN field (digits, F padding) plus a keystream nibble mod 16, the keystream being 3DES under LMK pair
   * 02-03 of the 12-digit account (BCD, 8 bytes) — an L-character hex string (algorithm B style).
   */
  private static String lmkPin(String pinField, String account, boolean encrypt) {
    byte[] block = Bytes.fromHex("0000" + account).toByteArray();
    byte[] ks = TestLmk.ecb(TestLmk.pair(1), TestLmk.ecb(TestLmk.pair(1), block, true), true);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pinField.length(); i++) {
      int v = Character.digit(pinField.charAt(i), 16);
      if (v < 0) {
        throw new HsmError(encrypt ? "15" : "14");
      }
      int k = (ks[(i / 2) % 8] >> (i % 2 == 0 ? 4 : 0)) & 0x0F;
      out.append(Character.toUpperCase(Character.forDigit(encrypt ? (v + k) & 0x0F : (v - k) & 0x0F, 16)));
    }
    return out.toString();
  }

  private static String clearPin(String lmkPin, String account) {
    String f = lmkPin(lmkPin, account, false);
    String pin = f.replaceAll("F+$", "");
    if (!pin.matches("[0-9]{4,12}")) {
      throw new HsmError("14");
    }
    return pin;
  }

  /** BA (notes §4 BA): PIN (L, F-padded) · account 12N → PIN under LMK (L). */
  private byte[] ba(Fields.Reader r) {
    String pin = r.text(PIN_LENGTH, "PIN");
    String account = r.text(12, "account");
    r.end("BA");
    if (!account.matches("[0-9]{12}") || !pin.matches("[0-9]{4,12}F*")) {
      throw new HsmError("15");
    }
    return ok(lmkPin(pin, account, true));
  }

  /** DG (notes §4 DG): PVK · PIN under LMK · account 12N · PVKI 1N → PVV 4N. */
  private byte[] dg(Fields.Reader r) {
    String pvkField = r.key("PVK");
    String lmkPinField = r.text(PIN_LENGTH, "PIN");
    String account = r.text(12, "account");
    String pvki = r.text(1, "PVKI");
    r.end("DG");
    if (!account.matches("[0-9]{12}") || !pvki.matches("[0-9]")) {
      throw new HsmError("15");
    }
    Key pvk = lmkKey(pvkField, "002", "10");
    if (pvk.clear.length != 16) {
      throw new HsmError("27");
    }
    String pin = clearPin(lmkPinField, account);
    try (ClearKeyRef k = pvk.ref(KeyUsage.PVK)) {
      // the PVV takes the 11 account digits left of the check digit: the last 11 of the 12-digit field
      return ok(sw.pvv(k, account + "0", Integer.parseInt(pvki), pin));
    }
  }

  /** DE (notes §4 DE): PVK · PIN · check length 2N · account · dec table 16 · validation data 12A → offset 12H. */
  private byte[] de(Fields.Reader r) {
    String pvkField = r.key("PVK");
    String lmkPinField = r.text(PIN_LENGTH, "PIN");
    int check = r.decimal(2, "check length");
    String account = r.text(12, "account");
    String table = r.text(16, "decimalisation table");
    String vd = r.text(12, "validation data");
    r.end("DE");
    if (!account.matches("[0-9]{12}") || !table.matches("[0-9]{16}") || check < 4 || check > 12) {
      throw new HsmError("15");
    }
    String data = vd.replace("N", account.substring(7));
    if (!data.matches("[0-9A-F]{16}")) {
      throw new HsmError("15");
    }
    Key pvk = lmkKey(pvkField, "002", "10");
    String pin = clearPin(lmkPinField, account);
    if (pin.length() < check) {
      throw new HsmError("15");
    }
    try (ClearKeyRef k = pvk.ref(KeyUsage.PVK)) {
      String natural = sw.ibm3624NaturalPin(k, Ibm3624.of(data, table, check));
      String offset = Ibm3624.offsetFor(natural, pin.substring(0, check));
      String out = offset + "F".repeat(12 - offset.length());
      return pvk.clear.length == 8 ? ok(out) : ("02" + out).getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final Set<String> DATA_TYPES = Set.of("00A", "00B", "30B");

  private static CipherSpec spec(String mode, String ivHex) {
    return mode.equals("00") ? CipherSpec.ecb() : CipherSpec.cbc(Bytes.fromHex(ivHex));
  }

  private static String modeOf(Fields.Reader r, String error) {
    String m = r.text(2, "mode");
    if (!m.equals("00") && !m.equals("01")) {
      throw new HsmError(error);
    }
    return m;
  }

  /** M0 / M2 (notes §4 M0/M2) with binary input and output. */
  private byte[] m0m2(Fields.Reader r, boolean encrypt) {
    String mode = modeOf(r, "02");
    if (!r.text(1, "input format").equals("0")) {
      throw new HsmError("03");
    }
    if (!r.text(1, "output format").equals("0")) {
      throw new HsmError("04");
    }
    String type = type(r, DATA_TYPES, "05");
    Key k = lmkKey(r.key("key"), type, "10");
    String iv = mode.equals("01") ? r.text(16, "IV") : "";
    int n = r.hexNumber(4, "length");
    byte[] data = r.bytes(n, "data");
    r.end("M0");
    if (n == 0 || n % 8 != 0) {
      throw new HsmError("06");
    }
    try (ClearKeyRef ref = k.ref(KeyUsage.DATA)) {
      CipherSpec s = spec(mode, iv.isEmpty() ? "0000000000000000" : iv);
      Bytes out = encrypt ? sw.encrypt(ref, s, Bytes.of(data)) : sw.decrypt(ref, s, Bytes.of(data));
      String nextIv = mode.equals("01") ? (encrypt ? out.slice(out.length() - 8) : Bytes.of(data).slice(n - 8)).toHex()
          : "";
      return okBinary(nextIv + hex4(out.length()), out.toByteArray());
    }
  }

  /** M4 (notes §4 M4). */
  private byte[] m4(Fields.Reader r) {
    String srcMode = modeOf(r, "02");
    String dstMode = modeOf(r, "02");
    if (!r.text(1, "input format").equals("0") || !r.text(1, "output format").equals("0")) {
      throw new HsmError("03");
    }
    String st = type(r, DATA_TYPES, "05");
    Key src = lmkKey(r.key("source key"), st, "10");
    String dt = type(r, DATA_TYPES, "05");
    Key dst = lmkKey(r.key("destination key"), dt, "11");
    String srcIv = srcMode.equals("01") ? r.text(16, "source IV") : "";
    String dstIv = dstMode.equals("01") ? r.text(16, "destination IV") : "";
    int n = r.hexNumber(4, "length");
    byte[] data = r.bytes(n, "data");
    r.end("M4");
    if (n == 0 || n % 8 != 0) {
      throw new HsmError("06");
    }
    try (ClearKeyRef s = src.ref(KeyUsage.DATA); ClearKeyRef d = dst.ref(KeyUsage.DATA)) {
      Bytes out = sw.translate(s, spec(srcMode, srcIv.isEmpty() ? "0000000000000000" : srcIv), d,
          spec(dstMode, dstIv.isEmpty() ? "0000000000000000" : dstIv), Bytes.of(data));
      return okBinary(srcIv + dstIv + hex4(out.length()), out.toByteArray());
    }
  }

  private static final Set<String> MAC_TYPES = Set.of("003", "008");

  /** M6 / M8 (notes §4 M6/M8): mode 0 only here (single block chain). */
  private byte[] m6m8(Fields.Reader r, boolean verify) {
    if (!r.text(1, "mode").equals("0")) {
      throw new HsmError("02");
    }
    if (!r.text(1, "input format").equals("0")) {
      throw new HsmError("03");
    }
    String size = r.text(1, "MAC size");
    if (!size.equals("0") && !size.equals("1")) {
      throw new HsmError("04");
    }
    String alg = r.text(1, "algorithm");
    if (!alg.equals("1") && !alg.equals("3")) {
      throw new HsmError("04");
    }
    String pad = r.text(1, "padding");
    if (!pad.matches("[012]")) {
      throw new HsmError("04");
    }
    String type = type(r, MAC_TYPES, "05");
    Key k = lmkKey(r.key("key"), type, "10");
    int n = r.hexNumber(4, "length");
    byte[] data = r.bytes(n, "message");
    String given = verify ? r.text(size.equals("1") ? 16 : 8, "MAC") : null;
    r.end(verify ? "M8" : "M6");
    Padding p = pad.equals("0") ? Padding.NONE : pad.equals("1") ? Padding.METHOD_1 : Padding.METHOD_2;
    if (p == Padding.NONE && n % 8 != 0 || n == 0 && p == Padding.NONE) {
      throw new HsmError("06");
    }
    if (alg.equals("3") && k.clear.length == 8) {
      throw new HsmError("27");
    }
    try (ClearKeyRef ref = k.ref(KeyUsage.DATA)) {
      String mac = sw.mac(ref, alg.equals("1") ? MacAlgorithm.ISO9797_1_ALG1 : MacAlgorithm.ISO9797_1_ALG3, p,
          Bytes.of(data)).toHex();
      String out = size.equals("1") ? mac : mac.substring(0, 8);
      if (verify) {
        if (!out.equalsIgnoreCase(given)) {
          throw new HsmError("01");
        }
        return ok();
      }
      return ok(out);
    }
  }

  /**
   * KQ scheme 0 (Visa, notes §4 KQ): the UDK from MK-AC by option A over the PAN/PSN field is the AC key;
   * ARQC = ISO 9797-1 alg 3 over the data zero-padded; ARPC = 3DES_UDK(ARQC XOR ARC‖00…).
   */
  private byte[] kq(Fields.Reader r) {
    String mode = r.text(1, "mode");
    if (!mode.equals("0") && !mode.equals("1")) {
      throw new HsmError("04");
    }
    if (!r.text(1, "scheme").equals("0")) {
      throw new HsmError("05");
    }
    Key mk = lmkKey(r.key("MK-AC"), "109", "10");
    String y = Bytes.of(r.bytes(8, "PAN/PSN")).toHex();
    r.bytes(2, "ATC");
    r.bytes(4, "UN");
    int n = r.hexNumber(2, "data length");
    if (n == 0) {
      throw new HsmError("80");
    }
    byte[] data = r.bytes(n, "data");
    if (!r.consume(';')) {
      throw new HsmError("15");
    }
    Bytes arqc = Bytes.of(r.bytes(8, "ARQC"));
    Bytes arc = mode.equals("1") ? Bytes.of(r.bytes(2, "ARC")) : null;
    r.end("KQ");
    if (!y.matches("[0-9]{16}")) {
      throw new HsmError("15");
    }
    try (ClearKeyRef imk = mk.ref(KeyUsage.IMK_AC);
         ClearKeyRef udk = (ClearKeyRef) sw.derive(imk, Derivation.emvOptionA(y.substring(0, 14), y.substring(14)))) {
      Bytes expected = sw.arqc(udk, Padding.METHOD_1, Bytes.of(data));
      if (!expected.constantTimeEquals(arqc)) {
        throw new HsmError("01");
      }
      return arc == null ? ok() : okBinary("", sw.arpc(udk, arqc, arc).toByteArray());
    }
  }

  private static final Set<String> PIN_SOURCE_TYPES = Set.of("000", "001", "00A", "00B");
  private static final Set<String> PIN_TARGET_TYPES = Set.of("001", "00A", "00B");

  private static dev.perso.crypto.PinBlock.Format pinFormat(String code) {
    switch (code) {
      case "00": return dev.perso.crypto.PinBlock.Format.ISO_0;
      case "01": return dev.perso.crypto.PinBlock.Format.ISO_1;
      case "02": return dev.perso.crypto.PinBlock.Format.ISO_2;
      default: throw new HsmError("23");
    }
  }

  /** Project-defined XP: PIN block translation between keys and ISO 9564-1 formats. */
  private byte[] xp(Fields.Reader r) {
    String st = type(r, PIN_SOURCE_TYPES, "05");
    Key src = lmkKey(r.key("source key"), st, "10");
    String srcMode = modeOf(r, "02");
    String srcIv = srcMode.equals("01") ? r.text(16, "source IV") : "0000000000000000";
    dev.perso.crypto.PinBlock.Format from = pinFormat(r.text(2, "source format"));
    String dt = type(r, PIN_TARGET_TYPES, "05");
    Key dst = lmkKey(r.key("destination key"), dt, "11");
    String dstMode = modeOf(r, "02");
    String dstIv = dstMode.equals("01") ? r.text(16, "destination IV") : "0000000000000000";
    dev.perso.crypto.PinBlock.Format to = pinFormat(r.text(2, "destination format"));
    String pad = r.text(1, "padding");
    if (!pad.matches("[012]")) {
      throw new HsmError("15");
    }
    int panLength = r.decimal(2, "PAN length");
    String pan = r.text(panLength, "PAN");
    int n = r.hexNumber(4, "length");
    byte[] block = r.bytes(n, "block");
    r.end("XP");
    if (n != 8) {
      throw new HsmError("80");
    }
    try (ClearKeyRef s = src.ref(KeyUsage.KEK); ClearKeyRef d = dst.ref(KeyUsage.DEK)) {
      dev.perso.crypto.PinBlockTranslation.Builder t = dev.perso.crypto.PinBlockTranslation.from(s, from)
          .fromSpec(spec(srcMode, srcIv)).to(d, to).toSpec(spec(dstMode, dstIv))
          .padding(pad.equals("0") ? Padding.NONE : pad.equals("1") ? Padding.METHOD_1 : Padding.METHOD_2);
      if (!pan.isEmpty()) {
        t.pan(pan);
      }
      Bytes out;
      try {
        out = sw.translatePinBlock(t.build(), Bytes.of(block));
      } catch (MalformedDataException e) {
        throw new HsmError("20");
      }
      return okBinary(hex4(out.length()), out.toByteArray());
    }
  }

  /** Project-defined XK: key type · LMK scheme · clear key hex → key under LMK · KCV (parity forced odd). */
  private byte[] xk(Fields.Reader r) {
    String type = r.text(3, "key type");
    if (!TestLmk.isKeyType(type)) {
      throw new HsmError("28");
    }
    char scheme = r.text(1, "scheme").charAt(0);
    int len = scheme == 'U' ? 16 : scheme == 'T' ? 24 : scheme == 'Z' ? 8 : -1;
    if (len < 0) {
      throw new HsmError("26");
    }
    byte[] key = r.hex(len * 2, "clear key");
    r.end("XK");
    TestLmk.withOddParity(key);
    try {
      return ok(underLmk(type, key), kcv6(key));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Project-defined XD: method · master type · master · output type · method data → key under LMK · KCV. */
  private byte[] xd(Fields.Reader r) {
    String method = r.text(2, "method");
    String mt = r.text(3, "master key type");
    Key master = lmkKey(r.key("master key"), mt, "10");
    String ot = r.text(3, "output key type");
    boolean clearOut = ot.equals(ProjectDefined.CLEAR_OUTPUT);
    if (!clearOut && !TestLmk.isKeyType(ot)) {
      throw new HsmError("28");
    }
    Derivation d;
    KeyUsage usage;
    switch (method) {
      case "01": case "02": {
        int len = r.decimal(2, "PAN length");
        String pan = r.text(len, "PAN");
        String psn = r.text(2, "PSN");
        d = method.equals("01") ? Derivation.emvOptionA(pan, psn) : Derivation.emvOptionB(pan, psn);
        usage = KeyUsage.IMK_AC;
        break;
      }
      case "03": d = Derivation.emvCommonSessionKey(Bytes.of(r.hex(16, "R"))); usage = KeyUsage.IMK_AC; break;
      case "04": d = Derivation.mastercardSkd(Bytes.of(r.hex(4, "ATC")), Bytes.of(r.hex(8, "UN")));
        usage = KeyUsage.IMK_AC; break;
      case "05": {
        int constant = r.hexNumber(4, "constant");
        Bytes seq = Bytes.of(r.hex(4, "sequence counter"));
        Derivation.Scp02Key which = Arrays.stream(Derivation.Scp02Key.values()).filter(k -> k.constant() == constant)
            .findFirst().orElseThrow(() -> new HsmError("15"));
        d = Derivation.gpScp02(which, seq);
        usage = KeyUsage.KMC;
        break;
      }
      case "06": case "07": {
        int number = r.decimal(1, "card key number");
        Derivation.GpCardKey which = Arrays.stream(Derivation.GpCardKey.values()).filter(k -> k.number() == number)
            .findFirst().orElseThrow(() -> new HsmError("15"));
        d = Derivation.gpDiversification(method.equals("06") ? Derivation.GpDiversification.Method.EMV_CPS
            : Derivation.GpDiversification.Method.VISA2, which, Bytes.of(r.hex(20, "KDD")));
        usage = KeyUsage.KMC;
        break;
      }
      default: throw new HsmError("15");
    }
    r.end("XD");
    if (clearOut && !method.equals("05")) {
      throw new HsmError("29");   // key function not permitted: only SCP02 session keys leave in clear
    }
    try (ClearKeyRef m = master.ref(usage)) {
      KeyRef out = sw.derive(m, d);
      try (ClearKeyRef c = (ClearKeyRef) out) {
        byte[] key = TestLmk.withOddParity(c.toSecretBytes().toByteArray());
        try {
          return ok(clearOut ? Bytes.of(key).toHex() : underLmk(ot, key), kcv6(key));
        } finally {
          Arrays.fill(key, (byte) 0);
        }
      }
    }
  }

  /** Project-defined XT: data under a ZMK-typed transport KEK re-encrypted under a DEK. */
  private byte[] xt(Fields.Reader r) {
    String srcMode = modeOf(r, "02");
    Key kek = lmkKey(r.key("KEK"), "000", "10");
    String dstMode = modeOf(r, "02");
    String dt = type(r, DATA_TYPES, "05");
    Key dst = lmkKey(r.key("destination key"), dt, "11");
    String srcIv = srcMode.equals("01") ? r.text(16, "source IV") : "0000000000000000";
    String dstIv = dstMode.equals("01") ? r.text(16, "destination IV") : "0000000000000000";
    int n = r.hexNumber(4, "length");
    byte[] data = r.bytes(n, "data");
    r.end("XT");
    if (n == 0 || n % 8 != 0) {
      throw new HsmError("06");
    }
    try (ClearKeyRef s = kek.ref(KeyUsage.DATA); ClearKeyRef d = dst.ref(KeyUsage.DATA)) {
      Bytes out = sw.translate(s, spec(srcMode, srcIv), d, spec(dstMode, dstIv), Bytes.of(data));
      return okBinary(hex4(out.length()), out.toByteArray());
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : clients) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    sw.close();
  }
}
