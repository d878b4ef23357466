package dev.perso.samples.cli;

import dev.perso.samples.demo.Demo;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso demo}: runs the end-to-end demo on the embedded default (virtual cards, in-process). */
@Command(name = "demo",
    description = "Prepare, personalize, stripe and verify a batch of virtual EMV cards, in-process, with no hardware.")
final class DemoCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Option(names = "--cards", defaultValue = "10", paramLabel = "N", description = "How many cards (default 10).")
  int cards;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write perso-data.jsonl and report.json "
      + "(default: a new temporary directory).")
  Path out;

  @Option(names = "--inject-fault", paramLabel = "CARD", defaultValue = "0",
      description = "Make card number CARD answer 6A84 to STORE DATA block 1; it is rejected, the rest go through.")
  int fault;

  @Option(names = "--trace", description = "Print card 1's APDUs (sensitive data masked).")
  boolean trace;

  @Override
  public void run() {
    Demo demo = Demo.builder().cards(cards).out(out).injectFault(fault).trace(trace).build();
    Demo.Result result = demo.run(output.json ? null : spec.commandLine().getOut());
    output.print(spec.commandLine().getOut(), result, result.summary());
  }
}
