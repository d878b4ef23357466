package dev.perso.devices.pcsc;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PC/SC readers through {@code javax.smartcardio}, with the JDK's automatic GET RESPONSE and 6Cxx
 * resend switched off so that {@link GetResponse} decides the CLA and the loop bound on every
 * transport alike. A missing pcscd or an empty reader list is an error that says so, never an
 * empty list.
 *
 * <p>The PC/SC context is JVM-wide: if pcscd is not running when this class first talks to it, or
 * restarts later, the JVM has to be restarted.
 *
 * <p>JVM-wide JDK settings: the JDK reads its PC/SC settings from system properties once, so
 * {@link #system()} sets these on its first call, each only if the application has not set it before,
 * and logs at DEBUG what it set:
 * <ul>
 *   <li>{@code sun.security.smartcardio.library}: the multiarch {@code libpcsclite.so.1} for this JVM's
 *       {@code os.arch} on Debian-style systems, when the JDK's own search ({@code /usr/lib64},
 *       {@code /usr/lib}) would miss it;</li>
 *   <li>{@code sun.security.smartcardio.t0GetResponse} and {@code t1GetResponse}: {@code false}.</li>
 * </ul>
 * To choose otherwise, set them before the first call.
 *
 * <pre>{@code
 * PcscReaders readers = PcscReaders.system();
 * readers.list();                                      // [Reader[name=ACS ACR39U ICC Reader 00 00, cardPresent=true]]
 * try (CardChannel ch = readers.open("ACS ACR39U*")) { // GetResponse.auto() applied
 *   ch.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, aid, 256)).requireSuccess("SELECT");
 * }
 * }</pre>
 */
public final class PcscReaders {

  /**
   * A reader and whether a card is in it.
   *
   * <pre>{@code
   * for (PcscReaders.Reader r : PcscReaders.system().list()) System.out.println(r.name() + " " + r.cardPresent());
   * }</pre>
   *
   * @param name the reader name, e.g. {@code "Perso Virtual Reader 00 00"}
   * @param cardPresent whether a card is present
   */
  public record Reader(String name, boolean cardPresent) {}

  private static final Logger LOG = LoggerFactory.getLogger(PcscReaders.class);
  private static volatile PcscReaders system;

  private final TerminalFactory factory;

  private PcscReaders(TerminalFactory factory) {
    this.factory = factory;
  }

  /**
   * Opens the system PC/SC service. The first call switches off the JDK's automatic
   * GET RESPONSE ({@code sun.security.smartcardio.t0GetResponse}/{@code t1GetResponse}) unless the
   * application set those properties itself.
   *
   * @return the readers of the PC/SC service
   * @throws TransportException if the PC/SC service (pcscd) is not running or cannot be loaded
   */
  public static PcscReaders system() {
    PcscReaders s = system;
    if (s == null) {
      synchronized (PcscReaders.class) {
        s = system;
        if (s == null) {
          PcscLibrary.configure().ifPresent(p -> LOG.debug("{}={} (multiarch libpcsclite)", PcscLibrary.PROPERTY, p));
          disableJdkGetResponse();
          try {
            s = new PcscReaders(TerminalFactory.getInstance("PC/SC", null));
          } catch (NoSuchAlgorithmException | RuntimeException e) {
            throw translate("open PC/SC", e);
          }
          system = s;
        }
      }
    }
    return s;
  }

  private static void disableJdkGetResponse() {
    for (String p : new String[] {"sun.security.smartcardio.t0GetResponse", "sun.security.smartcardio.t1GetResponse"}) {
      if (System.getProperty(p) == null) {
        System.setProperty(p, "false");
        LOG.debug("{}=false (GetResponse decides instead)", p);
      }
    }
  }

  /**
   * Turns a PC/SC failure into a {@link TransportException} whose message names the cause in words.
   *
   * @param what the operation, for the message
   * @param e the JDK's exception
   * @return the exception to throw
   */
  static TransportException translate(String what, Throwable e) {
    String all = chain(e);
    String why;
    if (all.contains("SCARD_E_NO_SERVICE")) {
      why = "the PC/SC service is not running (SCARD_E_NO_SERVICE): start pcscd, then restart this JVM";
    } else if (all.contains("SCARD_E_NO_READERS_AVAILABLE")) {
      why = "no PC/SC reader is connected (SCARD_E_NO_READERS_AVAILABLE)";
    } else if (all.contains("SCARD_W_REMOVED_CARD") || all.contains("Card has been removed")) {
      why = "the card was removed (SCARD_W_REMOVED_CARD); reinsert it and reconnect";
    } else if (all.contains("SCARD_E_NO_SMARTCARD")) {
      why = "no card in the reader (SCARD_E_NO_SMARTCARD)";
    } else if (all.contains("SCARD_E_INSUFFICIENT_BUFFER")) {
      why = "the response is larger than the JDK's " + PcscCard.MAX_RESPONSE
          + "-byte PC/SC receive buffer (SCARD_E_INSUFFICIENT_BUFFER); read it in smaller chunks";
    } else if (all.contains("SCARD_E_PROTO_MISMATCH")) {
      why = "the card does not support the requested protocol (SCARD_E_PROTO_MISMATCH)";
    } else if (all.contains("SCARD_W_RESET_CARD")) {
      why = "the card was reset by another application (SCARD_W_RESET_CARD); reconnect";
    } else if (all.contains("SCARD_E_SHARING_VIOLATION")) {
      why = "another application holds the card exclusively (SCARD_E_SHARING_VIOLATION)";
    } else if (all.contains("SCARD_E_UNSUPPORTED_FEATURE")) {
      why = "the reader or driver does not support this (SCARD_E_UNSUPPORTED_FEATURE)";
    } else if (all.contains("at least 2 bytes")) {
      why = "the reader returned a response without a status word";
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new TransportException("PC/SC: cannot " + what + ": " + why, e);
  }

  private static String chain(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      s.append(t.getClass().getName()).append(':').append(t.getMessage()).append('\n');
    }
    return s.toString();
  }

  /**
   * @param n the function number
   * @return the PC/SC-lite {@code SCARD_CTL_CODE(n)} control code, {@code 0x42000000 + n}
   */
  public static int controlCode(int n) {
    if (n < 0 || n > 0xFFFF) {
      throw new ValidationException("n", "must be 0..65535, was " + n);
    }
    return 0x42000000 + n;
  }

  /**
   * @return every reader and whether a card is present
   * @throws TransportException if pcscd is not running or no reader is connected
   */
  public List<Reader> list() {
    List<CardTerminal> terminals = terminals();
    List<Reader> out = new ArrayList<>(terminals.size());
    for (CardTerminal t : terminals) {
      boolean present;
      try {
        present = t.isCardPresent();
      } catch (CardException e) {
        present = false;
      }
      out.add(new Reader(t.getName(), present));
    }
    return List.copyOf(out);
  }

  private List<CardTerminal> terminals() {
    List<CardTerminal> list;
    try {
      list = factory.terminals().list();
    } catch (CardException | RuntimeException e) {
      throw translate("list readers", e);
    }
    if (list.isEmpty()) {
      throw new TransportException("PC/SC: no PC/SC reader is connected");
    }
    return list;
  }

  /**
   * Matches a reader name: a pattern with {@code *} or {@code ?} is a glob over the whole name,
   * anything else is a name prefix.
   *
   * @param pattern e.g. {@code "ACS ACR39U*"} or {@code "Perso Virtual Reader 00 01"}
   * @param name a reader name
   * @return true if it matches
   */
  public static boolean matches(String pattern, String name) {
    if (pattern == null || pattern.isEmpty()) {
      throw new ValidationException("pattern", "must not be empty");
    }
    if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
      return name.startsWith(pattern);
    }
    String safe = pattern.replace("\\", "\\\\").replace("[", "\\[").replace("{", "\\{").replace("/", "_");
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + safe);
    return m.matches(Path.of(name.replace("/", "_")));
  }

  /**
   * @param pattern prefix or glob
   * @return the name of the first matching reader
   * @throws TransportException if none matches; the message lists the readers there are
   */
  public String find(String pattern) {
    List<String> names = new ArrayList<>();
    for (CardTerminal t : terminals()) {
      if (matches(pattern, t.getName())) {
        return t.getName();
      }
      names.add(t.getName());
    }
    throw new TransportException("PC/SC: no reader matches '" + pattern + "'; readers: " + names);
  }

  private CardTerminal terminal(String pattern) {
    return factory.terminals().getTerminal(find(pattern));
  }

  /**
   * @param pattern prefix or glob of the reader
   * @param timeout how long to wait
   * @return true if a card is present within the timeout
   */
  public boolean waitForCard(String pattern, Duration timeout) {
    CardTerminal t = terminal(pattern);
    try {
      return t.waitForCardPresent(Math.max(1, timeout.toMillis()));
    } catch (CardException | RuntimeException e) {
      throw translate("wait for a card in '" + t.getName() + "'", e);
    }
  }

  /**
   * @param pattern prefix or glob of the reader
   * @param timeout how long to wait
   * @return true if the reader is empty within the timeout
   */
  public boolean waitForRemoval(String pattern, Duration timeout) {
    CardTerminal t = terminal(pattern);
    try {
      return t.waitForCardAbsent(Math.max(1, timeout.toMillis()));
    } catch (CardException | RuntimeException e) {
      throw translate("wait for card removal from '" + t.getName() + "'", e);
    }
  }

  /**
   * Connects to the card in the first reader matching {@code pattern}.
   *
   * @param pattern prefix or glob of the reader
   * @param protocol the protocol to ask for
   * @param sharing shared or exclusive
   * @return the raw connection (no GET RESPONSE handling)
   */
  public PcscCard connect(String pattern, PcscProtocol protocol, Sharing sharing) {
    if (protocol == null || sharing == null) {
      throw new ValidationException(protocol == null ? "protocol" : "sharing", "must not be null");
    }
    return new PcscCard(terminal(pattern), protocol, sharing);
  }

  /**
   * Connects with any protocol, shared, and applies {@link GetResponse#auto()}.
   *
   * @param pattern prefix or glob of the reader
   * @return a channel that follows 61xx and 6Cxx
   */
  public CardChannel open(String pattern) {
    return connect(pattern, PcscProtocol.ANY, Sharing.SHARED).with(GetResponse.auto());
  }
}
