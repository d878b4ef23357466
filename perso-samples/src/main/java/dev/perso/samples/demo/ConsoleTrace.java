package dev.perso.samples.demo;

import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.Instructions;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.event.PersoEvents;
import java.io.PrintWriter;
import java.time.Duration;

/** Prints each APDU exchange as the trace decorator reports it (sensitive data already masked). */
public final class ConsoleTrace extends PersoEvents {
  private final PrintWriter out;
  private int exchanges;

  /** @param out where to print */
  public ConsoleTrace(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void apduSent(CommandApdu command) {
    out.println("    >> " + command + "   " + Instructions.name(command).orElse(""));
  }

  @Override
  public void apduReceived(CommandApdu command, ResponseApdu response, Duration elapsed) {
    exchanges++;
    out.println("    << " + response + "   " + response.sw().meaning());
  }

  /** @return the number of APDU exchanges seen */
  public int exchanges() {
    return exchanges;
  }
}
