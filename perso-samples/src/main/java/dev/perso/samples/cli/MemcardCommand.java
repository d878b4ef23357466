package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import dev.perso.core.channel.CardChannel;
import dev.perso.devices.memory.MemoryCard;
import dev.perso.devices.memory.MemoryCardDialect;
import dev.perso.devices.memory.MemoryCardException;
import dev.perso.devices.memory.MemoryChip;
import dev.perso.devices.pcsc.PcscReaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso memcard ...}: memory cards (SLE4442/5542, SLE4428/5528, 24Cxx) in a PC/SC reader, through the
 * reader's dialect, with the SDK's safety rules: no code presented below the try floor, a wrong code never
 * retried (its tries left are reported), protected bytes never written, protection only with
 * {@code --irreversible} and verified, the code changed only after a verified presentation and confirmed. Codes
 * are read like keys ({@code file:PATH}, {@code env:NAME}, {@code prompt}) and never echoed.
 *
 * <pre>
 * perso memcard read --reader "ACS ACR39U*" --chip sle4442 --json
 * perso memcard present --reader "ACS*" --chip sle4442 --code env:PSC
 * perso memcard write --reader "ACS*" --chip sle4442 --code env:PSC --address 64 --hex 0011223344
 * perso memcard protect --reader "ACS*" --chip sle4442 --code env:PSC --address 0 --length 32 --irreversible
 * perso memcard change-code --reader "ACS*" --chip sle4442 --code env:PSC --new-code file:new.psc
 * </pre>
 */
@Command(name = "memcard", description = "Memory cards (SLE4442/5542, SLE4428/5528, 24Cxx I2C) in a PC/SC reader: "
    + "read, write, present the code, protect, change the code; with the try floor and protection checks.",
    subcommands = {MemcardCommand.Read.class, MemcardCommand.Write.class, MemcardCommand.Present.class,
        MemcardCommand.Protect.class, MemcardCommand.ChangeCode.class})
final class MemcardCommand extends CommandGroup {

  /** The options every memcard command takes. */
  static final class CardOptions {
    @Option(names = "--reader", required = true, paramLabel = "NAME", description = "The PC/SC reader (prefix or glob).")
    String reader;

    @Option(names = "--chip", required = true, paramLabel = "CHIP", description = "sle4432, sle4442, sle5532, sle5542, "
        + "sle4418, sle4428, sle5518, sle5528, at24c01 ... at24c1024.")
    String chip;

    @Option(names = "--dialect", defaultValue = "acs", paramLabel = "acs|pcsc-part3",
        description = "The reader's memory-card commands (default acs: ACS pseudo-APDUs).")
    String dialect;

    @Option(names = "--try-floor", defaultValue = "2", paramLabel = "N",
        description = "Never present a code with fewer tries left than this (default 2).")
    int tryFloor;

    MemoryChip chip() {
      try {
        return MemoryChip.named(chip);
      } catch (ValidationException e) {
        throw new ValidationException("--chip", e.rule());
      }
    }

    /** Connects, builds the card (the card type is selected) and runs {@code body}. */
    <T> T with(Function<MemoryCard, T> body) {
      MemoryChip c = chip();
      MemoryCardDialect d;
      try {
        d = MemoryCardDialect.named(dialect);
      } catch (ValidationException e) {
        throw new ValidationException("--dialect", e.rule());
      }
      try (CardChannel ch = PcscReaders.system().open(reader)) {
        MemoryCard card;
        try {
          card = MemoryCard.builder(ch, c).dialect(d).tryFloor(tryFloor).build();
        } catch (ValidationException e) {
          throw e.field().equals("tryFloor") ? new ValidationException("--try-floor", e.rule()) : e;
        }
        return body.apply(card);
      }
    }
  }

  static SecretBytes code(CommandSpec spec, String option, String value, MemoryChip chip) {
    if (value == null) {
      throw new ValidationException(option, "is required for " + chip.id() + " (" + KeyInput.SYNTAX + ")");
    }
    Bytes b = KeyInput.read(spec, option, value);
    byte[] raw = b.toByteArray();
    try {
      if (raw.length != chip.codeLength()) {
        throw new ValidationException(option, chip.id() + "'s code is " + chip.codeLength() + " bytes, was " + raw.length);
      }
      return SecretBytes.copyOf(raw);
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
  }

  /** Presents the code when the chip has one. */
  static int unlock(CommandSpec spec, String codeOption, MemoryCard card) {
    if (!card.chip().hasCode()) {
      if (codeOption != null) {
        throw new ValidationException("--code", card.chip().id() + " has no code");
      }
      return -1;
    }
    try (SecretBytes code = code(spec, "--code", codeOption, card.chip())) {
      return card.presentCode(code);
    }
  }

  static Integer triesOrNull(MemoryCard card) {
    if (!card.chip().hasCode()) {
      return null;
    }
    try {
      return card.triesLeft();
    } catch (MemoryCardException e) {
      return null;
    }
  }

  static List<List<Integer>> ranges(MemoryCard card) {
    List<List<Integer>> out = new ArrayList<>();
    if (card.chip().family() == MemoryChip.Family.I2C) {
      return out;
    }
    try {
      for (int[] r : card.protectedRanges()) {
        out.add(List.of(r[0], r[1]));
      }
    } catch (MemoryCardException e) {
      return null;
    }
    return out;
  }

  static int address(String option, String value) {
    try {
      int v = value.startsWith("0x") || value.startsWith("0X") ? Integer.parseInt(value.substring(2), 16)
          : Integer.parseInt(value);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ValidationException(option, "must be a non-negative number (decimal or 0x hex), was " + value);
    }
  }

  static String text(Map<String, ?> values) {
    StringBuilder s = new StringBuilder();
    values.forEach((k, v) -> s.append(String.format("%-12s %s%n", k, v)));
    return s.toString();
  }

  @Command(name = "read", description = "Read memory (the whole chip by default), the protected ranges and, for chips "
      + "with a code, the tries left. Needs no code.")
  static final class Read implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Option(names = "--address", defaultValue = "0", paramLabel = "N", description = "First byte (default 0).")
    String address;
    @Option(names = "--length", paramLabel = "N", description = "How many bytes (default: to the end).")
    String length;

    @Override
    public void run() {
      Map<String, Object> out = card.with(c -> {
        int a = address("--address", address);
        int n = length == null ? Math.max(0, c.chip().size() - a) : address("--length", length);
        Bytes data = c.read(a, n);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chip", c.chip().id());
        m.put("address", a);
        m.put("length", n);
        m.put("hex", data.toHex());
        m.put("protected", ranges(c));
        m.put("triesLeft", triesOrNull(c));
        return m;
      });
      StringBuilder t = new StringBuilder();
      String hex = (String) out.get("hex");
      int a = (Integer) out.get("address");
      for (int i = 0; i < hex.length(); i += 32) {
        t.append(String.format("%06X  %s%n", a + i / 2, hex.substring(i, Math.min(hex.length(), i + 32))));
      }
      t.append("protected   ").append(out.get("protected") == null ? "unknown (dialect)" : out.get("protected"))
          .append('\n');
      if (out.get("triesLeft") != null) {
        t.append("tries left  ").append(out.get("triesLeft")).append('\n');
      }
      output.print(spec.commandLine().getOut(), out, t.toString());
    }
  }

  @Command(name = "write", description = "Present the code (chips with one), write the bytes and read them back. "
      + "Refused before anything is sent when a byte is protected.")
  static final class Write implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Option(names = "--code", paramLabel = "CODE", description = "The card's code: " + KeyInput.SYNTAX + ".")
    String code;
    @Option(names = "--address", required = true, paramLabel = "N", description = "First byte.")
    String address;
    @Option(names = "--hex", required = true, paramLabel = "HEX", description = "The bytes to write.")
    String hex;

    @Override
    public void run() {
      Bytes data;
      try {
        data = Bytes.fromHex(hex);
      } catch (MalformedDataException e) {
        throw new ValidationException("--hex", "not hex (character " + e.offset() + ")");
      }
      int a = address("--address", address);
      Map<String, Object> out = card.with(c -> {
        int tries = unlock(spec, code, c);
        c.write(a, data);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chip", c.chip().id());
        m.put("address", a);
        m.put("written", data.length());
        m.put("readBack", true);
        if (tries >= 0) {
          m.put("triesLeft", tries);
        }
        return m;
      });
      output.print(spec.commandLine().getOut(), out, text(out));
    }
  }

  @Command(name = "present", description = "Present the code once (never below the try floor, never retried) and "
      + "report the tries left. Exit code 1 when the code is wrong.")
  static final class Present implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Option(names = "--code", required = true, paramLabel = "CODE", description = "The code: " + KeyInput.SYNTAX + ".")
    String code;

    @Override
    public Integer call() {
      Map<String, Object> out = card.with(c -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chip", c.chip().id());
        try {
          m.put("triesLeft", unlock(spec, code, c));
          m.put("verified", true);
        } catch (MemoryCardException e) {
          if (e.reason() != MemoryCardException.Reason.WRONG_CODE && e.reason() != MemoryCardException.Reason.LOCKED) {
            throw e;
          }
          m.put("triesLeft", e.triesLeft());
          m.put("verified", false);
          m.put("reason", e.reason().name());
        }
        return m;
      });
      output.print(spec.commandLine().getOut(), out, text(out));
      return Boolean.TRUE.equals(out.get("verified")) ? 0 : PersoCli.EXIT_FAILURE;
    }
  }

  @Command(name = "protect", description = "Protect bytes FOR GOOD (SLE4442: 0..31; SLE4428: any data byte): present "
      + "the code, send the protection write with the bytes as stored, and read the protection bits back. Needs "
      + "--irreversible.")
  static final class Protect implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Option(names = "--code", paramLabel = "CODE", description = "The card's code: " + KeyInput.SYNTAX + ".")
    String code;
    @Option(names = "--address", required = true, paramLabel = "N", description = "First byte.")
    String address;
    @Option(names = "--length", required = true, paramLabel = "N", description = "How many bytes.")
    String length;
    @Option(names = "--irreversible", description = "Confirm that the bytes can never be written again.")
    boolean irreversible;

    @Override
    public void run() {
      int a = address("--address", address);
      int n = address("--length", length);
      if (!irreversible) {
        throw new ValidationException("--irreversible", "protection cannot be undone: add --irreversible to protect "
            + "bytes " + a + ".." + (a + n - 1));
      }
      Map<String, Object> out = card.with(c -> {
        unlock(spec, code, c);
        c.protect(a, n);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chip", c.chip().id());
        m.put("protectedNow", List.of(a, a + n - 1));
        m.put("protected", ranges(c));
        return m;
      });
      output.print(spec.commandLine().getOut(), out, text(out));
    }
  }

  @Command(name = "change-code", description = "Present the current code, write the new one and present the new one "
      + "to confirm it.")
  static final class ChangeCode implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    CardOptions card;
    @Option(names = "--code", required = true, paramLabel = "CODE", description = "The current code: "
        + KeyInput.SYNTAX + ".")
    String code;
    @Option(names = "--new-code", required = true, paramLabel = "CODE", description = "The new code: "
        + KeyInput.SYNTAX + ".")
    String newCode;

    @Override
    public void run() {
      Map<String, Object> out = card.with(c -> {
        if (!c.chip().hasCode()) {
          throw new ValidationException("--chip", c.chip().id() + " has no code");
        }
        try (SecretBytes fresh = code(spec, "--new-code", newCode, c.chip())) {
          unlock(spec, code, c);
          c.changeCode(fresh);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chip", c.chip().id());
        m.put("changed", true);
        m.put("confirmed", true);
        m.put("triesLeft", c.triesLeft());
        return m;
      });
      output.print(spec.commandLine().getOut(), out, text(out));
    }
  }
}
