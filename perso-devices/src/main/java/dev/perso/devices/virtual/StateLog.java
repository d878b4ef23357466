package dev.perso.devices.virtual;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.MalformedDataException;
import dev.perso.core.device.CardTag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * A transport's physical state as an append-only log: one JSON object per line, e.g.
 * {@code {"op":"feed","serial":7,"record":"0007"}}, each written whole with one system call before the
 * operation returns (it survives the controller's kill -9; it is not forced to disk for a power loss). On
 * open the log is replayed; a torn last line (no newline: the process died while writing it) is dropped
 * and cut off the file.
 */
final class StateLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String device;
  private final Path file;
  private final FileChannel out;

  private StateLog(String device, Path file, FileChannel out) {
    this.device = device;
    this.file = file;
    this.out = out;
  }

  /** One entry of the log. */
  record Entry(String op, CardTag card, String position) {}

  /**
   * Opens (or creates) the log and hands each complete entry to {@code replay}.
   *
   * @throws MalformedDataException for a complete line that is not an entry
   */
  static StateLog open(String device, Path file, Consumer<Entry> replay) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        int lineNo = 0;
        for (int i = 0; i < all.length; i++) {
          if (all[i] == '\n') {
            lineNo++;
            String line = new String(all, start, i - start, StandardCharsets.UTF_8);
            if (!line.isBlank()) {
              replay.accept(parse(file, lineNo, start, line));
            }
            start = i + 1;
          }
        }
        ch.truncate(start);   // drop a torn last line
        ch.position(start);
        return new StateLog(device, file, ch);
      } catch (RuntimeException e) {
        ch.close();
        throw e;
      }
    } catch (IOException e) {
      throw new DeviceException(device, DeviceFault.COMMUNICATION_ERROR, "cannot open state file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Entry parse(Path file, int lineNo, int offset, String line) {
    try {
      JsonNode n = JSON.readTree(line);
      String op = n.path("op").asText("");
      if (op.isEmpty()) {
        throw new MalformedDataException(offset, file + " line " + lineNo + ": no \"op\"");
      }
      CardTag card = null;
      if (n.has("serial")) {
        if (!n.get("serial").canConvertToLong() || n.get("serial").asLong() <= 0 || !n.path("record").isTextual()) {
          throw new MalformedDataException(offset, file + " line " + lineNo + ": serial must be positive and record a string");
        }
        card = new CardTag(n.get("serial").asLong(), n.get("record").asText());
      }
      String position = n.path("position").isTextual() ? n.get("position").asText() : null;
      return new Entry(op, card, position);
    } catch (JsonProcessingException e) {
      throw new MalformedDataException(offset, file + " line " + lineNo + ": not a JSON object");
    }
  }

  /** Appends one entry and hands it to the operating system before returning. */
  synchronized void append(String op, CardTag card, String position) {
    ObjectNode n = JSON.createObjectNode();
    n.put("op", op);
    if (card != null) {
      n.put("serial", card.serial());
      n.put("record", card.recordId());
    }
    if (position != null) {
      n.put("position", position);
    }
    try {
      ByteBuffer b = ByteBuffer.wrap((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        out.write(b);
      }
    } catch (IOException e) {
      throw new DeviceException(device, DeviceFault.COMMUNICATION_ERROR, "cannot write state file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      // closing a file we only appended to: nothing is lost
    }
  }
}
