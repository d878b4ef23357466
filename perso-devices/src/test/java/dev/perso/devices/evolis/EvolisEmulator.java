package dev.perso.devices.evolis;

import dev.perso.core.TransportException;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.Side;
import dev.perso.devices.evolis.internal.EvolisPanels;
import dev.perso.devices.link.ByteLink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The printer's side of an Evolis desktop printer with a magnetic encoder, as the notes describe it
 * (magstripe-surface §3.4, Programming Guide A5013 §3 framing, §9-10 magnetic, §2/§4 panels; §4.3 panel
 * sizes and K/O compression). It reads each command byte for byte (optional ESC, name, {@code ;} parameters,
 * CR; a panel download's bitmap of exactly the panel's length, or K/O-compressed lines, before the CR),
 * checks each parameter against the notes' values, answers {@code OK}, a value or {@code NACK;<code>}, and
 * keeps what it got: the panels per side of every card it printed and the tracks it wrote. Faults on cue:
 * cover open (NACK C), feeder empty (NACK F), ribbon out (NACK R at the print), jam (NACK T), a magnetic NACK
 * (K, D or W) at the next write, or a garbage answer.
 */
final class EvolisEmulator implements AutoCloseable {
  /** A card the emulator printed (or delivered unprinted). */
  record Card(Map<Side, Map<Panel, byte[]>> panels, Map<Integer, String> stripe, String ribbon) {}

  private final ByteLink link;
  private final Thread thread;
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
  private final List<Card> delivered = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  // cues
  private volatile boolean coverOpen;
  private volatile int feeder = -1; // -1 endless
  private volatile int ribbonLeft = -1;
  private volatile boolean jamAtPrint;
  private volatile char magNack;
  private volatile byte[] garbageNext;

  // state (emulator thread only, read by tests after a round trip)
  private volatile String lastError = "OK";
  private boolean inSequence;
  private Side side;
  private String ribbon;
  private char coercivity;
  private final Map<Integer, Integer> density = new TreeMap<>();
  private final Map<Integer, Integer> format = new TreeMap<>();
  private final Map<Integer, String> downloadedTracks = new TreeMap<>();
  private Map<Integer, String> stripe = new TreeMap<>();
  private Map<Side, Map<Panel, byte[]>> panels = new EnumMap<>(Side.class);

  private EvolisEmulator(ByteLink link) {
    this.link = link;
    this.thread = new Thread(this::serve, "evolis-emulator");
    thread.setDaemon(true);
  }

  static EvolisEmulator serve(ByteLink printerSide) {
    EvolisEmulator e = new EvolisEmulator(printerSide);
    e.thread.start();
    return e;
  }

  // ---- cues -----------------------------------------------------------------------------------------------
  EvolisEmulator coverOpen(boolean v) {
    coverOpen = v;
    return this;
  }

  EvolisEmulator feeder(int cards) {
    feeder = cards;
    return this;
  }

  EvolisEmulator ribbonFor(int cards) {
    ribbonLeft = cards;
    return this;
  }

  EvolisEmulator jamAtNextPrint() {
    jamAtPrint = true;
    return this;
  }

  EvolisEmulator magNackAtNextWrite(char code) {
    magNack = code;
    return this;
  }

  EvolisEmulator answerNextWith(byte[] garbage) {
    garbageNext = garbage.clone();
    return this;
  }

  // ---- what it got ----------------------------------------------------------------------------------------
  /** @return every command as received, names and parameters; bitmaps shown by length, track data as {@code <n chars>} */
  List<String> commands() {
    return List.copyOf(commands);
  }

  /** @return frames that broke the notes' framing or values (a correct driver leaves this empty) */
  List<String> protocolErrors() {
    return List.copyOf(protocolErrors);
  }

  List<Card> delivered() {
    return List.copyOf(delivered);
  }

  // ---- serving --------------------------------------------------------------------------------------------
  private void serve() {
    try {
      while (running) {
        int b = link.read(Duration.ofMillis(100));
        if (b < 0) {
          continue;
        }
        String reply = frame(b);
        if (reply == null) {
          continue;
        }
        byte[] g = garbageNext;
        if (g != null) {
          garbageNext = null;
          link.write(g, 0, g.length);
          continue;
        }
        byte[] out = (reply + "\r").getBytes(StandardCharsets.US_ASCII);
        link.write(out, 0, out.length);
      }
    } catch (TransportException closed) {
      // link closed: the emulator stops
    }
  }

  private int next() {
    int b = link.read(Duration.ofSeconds(3));
    if (b < 0) {
      throw new IllegalStateException("frame cut short");
    }
    return b;
  }

  /** Reads one frame whose first byte is {@code first}; returns the reply, or null when the frame was dropped. */
  private String frame(int first) {
    int b = first;
    if (b == 0x1B) { // Guide §3: ESC starts a command (optional right after a CR)
      b = next();
    }
    StringBuilder name = new StringBuilder();
    while (Character.isLetter(b)) {
      name.append((char) b);
      b = next();
    }
    if (name.length() == 0) {
      protocolErrors.add("frame starts with 0x" + Integer.toHexString(b) + ", not a command name");
      return null;
    }
    String cmd = name.toString();
    try {
      if (cmd.equals("Db") || cmd.equals("Dbc")) {
        return bitmap(cmd, b);
      }
      ByteArrayOutputStream rest = new ByteArrayOutputStream();
      while (b != 0x0D) {
        rest.write(b);
        b = next();
      }
      String text = rest.toString(StandardCharsets.US_ASCII);
      if (!text.isEmpty() && !text.startsWith(";")) {
        protocolErrors.add(cmd + ": parameters must follow ';', got " + text);
        return nack('1');
      }
      String[] params = text.isEmpty() ? new String[0] : text.substring(1).split(";", cmd.equals("Dm") ? 2 : -1);
      commands.add(cmd.equals("Dm") && params.length == 2 ? "Dm;" + params[0] + ";<" + params[1].length() + " chars>"
          : cmd + (text.isEmpty() ? "" : text));
      return command(cmd, params);
    } catch (IllegalStateException e) {
      protocolErrors.add(cmd + ": " + e.getMessage());
      return null;
    }
  }

  private String nack(char code) {
    lastError = switch (code) {
      case 'T' -> "ERR CARD";
      case 'F' -> "NO CARD";
      case 'C' -> "ERR COVER OPEN";
      case 'R' -> "ERR RIBBON";
      default -> "ERR " + code;
    };
    return "NACK;" + code;
  }

  private String refuse(String why, char code) {
    protocolErrors.add(why);
    return nack(code);
  }

  private String command(String cmd, String[] p) {
    switch (cmd) {
      case "Rtp":
        return "Evolis emulator (notes magstripe-surface 3.4)";
      case "Rfv":
        return "EMU-1.0";
      case "Rsn":
        return "EMU0001";
      case "Rse":
        List<String> s = new ArrayList<>();
        if (coverOpen) {
          s.add("COVER OPEN");
        }
        if (feeder == 0) {
          s.add("FEEDER EMPTY");
        }
        if (ribbonLeft == 0) {
          s.add("RIBBON OUT");
        }
        return s.isEmpty() ? "OK" : String.join(" ", s);
      case "Rlr": // Rlr;p|r
        if (p.length != 1 || !(p[0].equals("p") || p[0].equals("r"))) {
          return refuse("Rlr takes p or r", '2');
        }
        return lastError;
      case "Pr": // Pr;ymcko / Pr;k
        if (p.length != 1 || !(p[0].equals("ymcko") || p[0].equals("k"))) {
          return refuse("Pr takes ymcko or k, got " + String.join(";", p), '2');
        }
        ribbon = p[0];
        return "OK";
      case "Pmi": // Pmi;F;s (insertion from the feeder)
        if (p.length != 2 || !"FMB".contains(p[0]) || p[0].length() != 1 || !p[1].equals("s")) {
          return refuse("Pmi takes F|M|B;s", '2');
        }
        return "OK";
      case "Pmc": // Pmc;h|l coercivity
        if (p.length != 1 || !(p[0].equals("h") || p[0].equals("l"))) {
          return refuse("Pmc takes h or l", '2');
        }
        coercivity = p[0].charAt(0);
        return "OK";
      case "Pmd": // density 75|210 per track
        if (p.length != 2 || !p[0].matches("[123]") || !(p[1].equals("75") || p[1].equals("210"))) {
          return refuse("Pmd takes a track 1..3 and 75 or 210", '2');
        }
        density.put(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        return "OK";
      case "Pmt": // format 1 ISO1, 2 ISO2, 3 ISO3, 4..6 SIPASS/CUSTOM
        if (p.length != 2 || !p[0].matches("[123]") || !p[1].matches("[1-6]")) {
          return refuse("Pmt takes a track 1..3 and a format 1..6", '2');
        }
        format.put(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        return "OK";
      case "Dm": { // Dm;<1|2|3>;<ASCII data>
        if (p.length != 2 || !p[0].matches("[123]")) {
          return refuse("Dm takes a track 1..3 and its data", '2');
        }
        int t = Integer.parseInt(p[0]);
        int fmt = format.getOrDefault(t, t);
        int lo = fmt == 1 ? 0x20 : 0x30;
        int hi = fmt == 1 ? 0x5F : 0x3F;
        for (char c : p[1].toCharArray()) {
          if (c < lo || c > hi) {
            return nack('D');
          }
        }
        downloadedTracks.put(t, p[1]);
        return "OK";
      }
      case "Smw": {
        if (!inSequence) {
          return refuse("Smw outside a sequence: no card", 'T');
        }
        char n = magNack;
        if (n != 0) {
          magNack = 0;
          downloadedTracks.clear();
          return nack(n);
        }
        for (Map.Entry<Integer, String> e : downloadedTracks.entrySet()) {
          if (e.getValue().isEmpty()) {
            stripe.remove(e.getKey());
          } else {
            stripe.put(e.getKey(), e.getValue());
          }
        }
        downloadedTracks.clear();
        return "OK";
      }
      case "Smr": // Smr;<1|2|3>
        if (p.length != 1 || !p[0].matches("[123]")) {
          return refuse("Smr takes a track 1..3", '2');
        }
        if (!inSequence) {
          return refuse("Smr outside a sequence: no card", 'T');
        }
        return stripe.getOrDefault(Integer.parseInt(p[0]), "");
      case "Ss":
        if (p.length != 0 || inSequence) {
          return refuse("Ss inside a sequence or with parameters", '1');
        }
        if (coverOpen) {
          return nack('C');
        }
        if (feeder == 0) {
          return nack('F');
        }
        if (feeder > 0) {
          feeder--;
        }
        inSequence = true;
        side = null;
        stripe = new TreeMap<>();
        panels = new EnumMap<>(Side.class);
        lastError = "OK";
        return "OK";
      case "Sr":
      case "Sv":
        if (p.length != 0 || !inSequence) {
          return refuse(cmd + " outside a sequence", '1');
        }
        side = cmd.equals("Sr") ? Side.FRONT : Side.BACK;
        return "OK";
      case "Se":
        if (p.length != 0 || !inSequence) {
          return refuse("Se outside a sequence", '1');
        }
        if (!panels.isEmpty()) {
          if (coverOpen) {
            return nack('C');
          }
          if (jamAtPrint) {
            jamAtPrint = false;
            return nack('T');
          }
          if (ribbonLeft == 0) {
            return nack('R');
          }
          for (Map<Panel, byte[]> m : panels.values()) {
            for (Panel pn : m.keySet()) {
              if (ribbon == null || ribbon.indexOf(Character.toLowerCase(pn.name().charAt(0))) < 0) {
                return refuse("panel " + pn + " downloaded but the ribbon is " + ribbon, '2');
              }
            }
          }
          if (ribbonLeft > 0) {
            ribbonLeft--;
          }
        }
        delivered.add(new Card(Collections.unmodifiableMap(panels), Collections.unmodifiableMap(stripe), ribbon));
        inSequence = false;
        return "OK";
      default:
        return refuse("unknown command " + cmd, '1');
    }
  }

  /** Db;<panel>;<levels>;<bitmap> CR or Dbc;<k|o>;2;<compressed lines> CR (notes §3.4, §4.3). */
  private String bitmap(String cmd, int b) {
    StringBuilder head = new StringBuilder();
    int semis = 0;
    while (semis < 3) {
      if (b == ';') {
        semis++;
      } else {
        head.append((char) b);
      }
      if (semis < 3) {
        b = next();
      }
      if (head.length() > 8) {
        throw new IllegalStateException("bitmap header too long");
      }
    }
    // head is "<panel><levels>" e.g. "k2" / "y128"
    char pc = head.charAt(0);
    String levelsText = head.substring(1);
    Panel panel = switch (pc) {
      case 'y' -> Panel.Y;
      case 'm' -> Panel.M;
      case 'c' -> Panel.C;
      case 'k' -> Panel.K;
      case 'o' -> Panel.O;
      default -> null;
    };
    int levels;
    try {
      levels = Integer.parseInt(levelsText);
    } catch (NumberFormatException e) {
      levels = -1;
    }
    int bits = switch (levels) {
      case 2 -> 1;
      case 32 -> 5;
      case 64 -> 6;
      case 128 -> 7;
      default -> -1;
    };
    if (panel == null || bits < 0) {
      throw new IllegalStateException(cmd + " panel " + pc + " levels " + levelsText + " not in the notes");
    }
    byte[] data;
    if (cmd.equals("Db")) {
      int len = EvolisPanels.LINES * EvolisPanels.DOTS * bits / 8;
      data = new byte[len];
      for (int i = 0; i < len; i++) {
        data[i] = (byte) next();
      }
    } else {
      if (!(panel == Panel.K || panel == Panel.O) || levels != 2) {
        throw new IllegalStateException("Dbc (K/O compression) is for k or o at 2 levels");
      }
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      for (int j = 0; j < EvolisPanels.LINES; j++) {
        int n = next();
        raw.write(n);
        if (n != 0 && n != 0xFF) {
          if (n > EvolisPanels.MONO_LINE_BYTES) {
            throw new IllegalStateException("Dbc line " + j + " count " + n);
          }
          for (int k = 0; k < n; k++) {
            raw.write(next());
          }
        }
      }
      data = new byte[EvolisPanels.MONO_BYTES];
      EvolisPanels.decompress(raw.toByteArray(), 0, data);
    }
    int end = next();
    if (end != 0x0D) {
      throw new IllegalStateException(cmd + " bitmap not followed by CR but 0x" + Integer.toHexString(end));
    }
    commands.add(cmd + ";" + pc + ";" + levels + ";<" + data.length + " bytes>");
    if (!inSequence || side == null) {
      return refuse(cmd + " outside a sequence or before Sr/Sv", '1');
    }
    if ((panel == Panel.K || panel == Panel.O) != (levels == 2)) {
      return refuse(cmd + ": panel " + pc + " at " + levels + " levels", '2');
    }
    panels.computeIfAbsent(side, s -> new EnumMap<>(Panel.class)).put(panel, data);
    return "OK";
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    link.close();
    thread.join(5000);
  }
}
