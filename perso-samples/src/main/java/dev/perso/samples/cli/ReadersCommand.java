package dev.perso.samples.cli;

import dev.perso.devices.pcsc.PcscReaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso readers list}: the PC/SC readers (pcscd) and whether a card is in each. When pcscd is not
 * running or no reader is connected, it says so in one line (exit code 2) instead of listing nothing.
 *
 * <pre>
 * perso readers list
 * perso readers list --json
 * </pre>
 */
@Command(name = "readers", description = "PC/SC readers.", subcommands = {ReadersCommand.ListReaders.class})
final class ReadersCommand extends CommandGroup {

  @Command(name = "list", description = "List the PC/SC readers and whether a card is present in each. "
      + "A missing pcscd or an empty reader list is an error that says so.")
  static final class ListReaders implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public void run() {
      List<PcscReaders.Reader> readers = PcscReaders.system().list();
      List<Object> json = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      for (PcscReaders.Reader r : readers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("cardPresent", r.cardPresent());
        json.add(m);
        text.append(r.name()).append("  ").append(r.cardPresent() ? "card present" : "empty").append('\n');
      }
      output.print(spec.commandLine().getOut(), Map.of("readers", json), text.toString());
    }
  }
}
