package dev.perso.samples.cli;

import dev.perso.samples.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso demo}: runs the end-to-end demo on the embedded default (virtual card, in-process). */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the end-to-end demo on virtual devices and a virtual card, in-process.")
final class DemoCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Override
  public void run() {
    Demo.Result result = new Demo(output.json ? null : spec.commandLine().getOut()).run();
    output.print(spec.commandLine().getOut(), result, result.summary());
  }
}
