package dev.perso.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code perso} command-line tool. */
@Command(name = "perso", mixinStandardHelpOptions = true, versionProvider = PersoCli.Version.class,
    description = "Perso SDK: card personalization calculator, debugger and demo.")
public final class PersoCli implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and exits with its exit code. @param args command-line arguments */
  public static void main(String[] args) {
    System.exit(new CommandLine(new PersoCli()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PersoCli.class.getPackage().getImplementationVersion();
      return new String[] {"perso " + (v == null ? "dev" : v)};
    }
  }
}
