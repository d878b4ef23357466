package dev.perso.samples.cli;

import dev.perso.core.PersoException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code perso} command-line tool: a card engineer's calculator and debugger, and
 * the end-to-end demo.
 *
 * <pre>
 * java -jar perso-samples/target/perso.jar demo
 * java -jar perso-samples/target/perso.jar tlv decode 6F1A840E315041592E5359532E4444463031A5088801025F2D02656E
 * java -jar perso-samples/target/perso.jar apdu decode --json 00A4040007A000000004101000
 * </pre>
 */
@Command(name = "perso", mixinStandardHelpOptions = true, versionProvider = PersoCli.Version.class,
    scope = CommandLine.ScopeType.INHERIT,
    description = "Perso SDK: card personalization calculator, debugger and demo.",
    subcommands = {DemoCommand.class, RunCommand.class, JobCommand.class, SurfaceCommand.class, TlvCommand.class, ApduCommand.class, CpsCommand.class, CryptoCommand.class, HsmCommand.class,
        TrackCommand.class, GpCommand.class, AtrCommand.class, ReadersCommand.class, MagCommand.class, MemcardCommand.class,
        CommandLine.HelpCommand.class})
public final class PersoCli implements Runnable {

  /** Exit code for bad input (usage errors and input the SDK rejects). */
  static final int EXIT_BAD_INPUT = 2;
  /** Exit code for a failure that is not the input's fault. */
  static final int EXIT_FAILURE = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Runs the CLI and exits with its exit code.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    int code;
    try {
      code = newCommandLine().execute(args);
    } catch (Throwable t) {   // whatever escapes picocli: still one line, never a stack trace
      System.err.println("perso: " + fatal(t));
      code = EXIT_FAILURE;
    }
    System.exit(code);
  }

  /** @return the configured command line: one-line errors, exit code 2 for bad input, no stack traces */
  static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new PersoCli());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // An empty path would be the working directory: never what was meant.
    cl.registerConverter(java.nio.file.Path.class, s -> {
      if (s.isBlank()) {
        throw new CommandLine.TypeConversionException("a path cannot be empty");
      }
      return java.nio.file.Path.of(s);
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("perso: " + firstLine(ex.getMessage()) + " (see '"
          + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return EXIT_BAD_INPUT;
    });
    // An Error (OutOfMemoryError, StackOverflowError...) is one line on stderr and exit code 1 too.
    CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
    cl.setExecutionStrategy(parseResult -> {
      try {
        return runLast.execute(parseResult);
      } catch (Error e) {
        PrintWriter err = parseResult.commandSpec().commandLine().getErr();
        err.println("perso: " + fatal(e));
        err.flush();
        return EXIT_FAILURE;
      }
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (ex instanceof PersoException) {
        err.println("perso: " + firstLine(ex.getMessage()));
        return EXIT_BAD_INPUT;
      }
      err.println("perso: internal error: " + ex.getClass().getSimpleName()
          + (ex.getMessage() == null ? "" : ": " + firstLine(ex.getMessage())));
      return EXIT_FAILURE;
    });
    return cl;
  }

  /** One line for an Error: what it was, with advice for the ones a user can act on. */
  static String fatal(Throwable t) {
    String advice = t instanceof OutOfMemoryError ? " (give Java more memory, e.g. java -Xmx2g -jar perso.jar ..., "
        + "or lower --max-line-bytes)" : t instanceof StackOverflowError ? " (input nested too deeply)" : "";
    return "fatal error: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()))
        + advice;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PersoCli.class.getPackage().getImplementationVersion();
      return new String[] {"perso " + (v == null ? "dev" : v),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
  }
}
