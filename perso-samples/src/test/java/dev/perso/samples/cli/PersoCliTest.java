package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class PersoCliTest {

  @ParameterizedTest
  @ValueSource(strings = {"oom", "stack"})
  void anErrorIsOneLineOnStderrAndExitOneNeverAStackTrace(String which) {
    CommandLine cl = PersoCli.newCommandLine();
    Runnable boom = () -> {
      if (which.equals("oom")) {
        throw new OutOfMemoryError("Java heap space");
      }
      throw new StackOverflowError();
    };
    cl.addSubcommand("boom", CommandSpec.wrapWithoutInspection(boom));
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int code = cl.execute("boom");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("perso: fatal error: ")
        .contains(which.equals("oom") ? "OutOfMemoryError: Java heap space (give Java more memory"
            : "StackOverflowError")
        .doesNotContain("\n").doesNotContain("\tat ");
  }
}
