package dev.perso.core.card;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A card that plays back an expected APDU dialogue, for tests (in the style of apdu4j's
 * {@code MockBIBO}). Each step expects a command and gives a response. A command that does not match
 * the next step, or a command after the last step, fails with an {@link AssertionError} that shows
 * the step, the expected and actual bytes and where they first differ; {@link #assertComplete()}
 * fails if steps are left over.
 *
 * <pre>{@code
 * ScriptedCard card = ScriptedCard.builder()
 *     .expect("00A4040007A0000000041010", "6F0A8407A0000000041010A5009000")
 *     .expectHeader(0x80, 0x50, 0x00, 0x00, cmd -> ResponseApdu.parse(initUpdateResponse))  // any data
 *     .build();
 * personalizer.run(VirtualCard.connect(card));
 * card.assertComplete();
 * }</pre>
 */
public final class ScriptedCard implements VirtualCard {

  private final Bytes atr;
  private final List<Step> steps;
  private int next;

  private ScriptedCard(Builder b) {
    this.atr = b.atr;
    this.steps = List.copyOf(b.steps);
  }

  /** @return a builder; the default ATR is {@code 3B00} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Bytes atr() {
    return atr;
  }

  /** A reset is not a step: the dialogue position is kept. */
  @Override
  public Bytes reset() {
    return atr;
  }

  @Override
  public synchronized ResponseApdu process(CommandApdu command) {
    if (next >= steps.size()) {
      throw new AssertionError("unexpected command after the last of " + steps.size() + " steps:\n  actual:   "
          + hex(command));
    }
    Step step = steps.get(next);
    if (!step.matcher.test(command)) {
      throw new AssertionError("step " + (next + 1) + " of " + steps.size() + " does not match:\n"
          + step.diff(command));
    }
    next++;
    return step.response.apply(command);
  }

  /** @return how many steps have been played */
  public synchronized int stepsPlayed() {
    return next;
  }

  /** @throws AssertionError listing the steps not played */
  public synchronized void assertComplete() {
    if (next < steps.size()) {
      StringBuilder s = new StringBuilder()
          .append(steps.size() - next).append(" of ").append(steps.size()).append(" steps not played:");
      for (int i = next; i < steps.size(); i++) {
        s.append("\n  step ").append(i + 1).append(": ").append(steps.get(i).description);
      }
      throw new AssertionError(s.toString());
    }
  }

  private static String hex(CommandApdu c) {
    return c.encode().toHex();
  }

  private static final class Step {
    final String description;
    final Bytes exact;
    final Predicate<CommandApdu> matcher;
    final Function<CommandApdu, ResponseApdu> response;

    Step(String description, Bytes exact, Predicate<CommandApdu> matcher, Function<CommandApdu, ResponseApdu> response) {
      this.description = description;
      this.exact = exact;
      this.matcher = matcher;
      this.response = response;
    }

    String diff(CommandApdu actual) {
      String act = hex(actual);
      if (exact == null) {
        return "  expected: " + description + "\n  actual:   " + act;
      }
      String exp = exact.toHex();
      int at = 0;
      while (at < exp.length() && at < act.length() && exp.charAt(at) == act.charAt(at)) {
        at++;
      }
      int byteAt = at / 2;
      return "  expected: " + exp + "\n  actual:   " + act + "\n            " + " ".repeat(byteAt * 2)
          + "^ first difference at byte " + byteAt;
    }
  }

  /** Builds a {@link ScriptedCard}. */
  public static final class Builder {
    private Bytes atr = Bytes.fromHex("3B00");
    private final List<Step> steps = new ArrayList<>();

    private Builder() {}

    /** @param value the ATR the card presents @return this builder */
    public Builder atr(Bytes value) {
      this.atr = Objects.requireNonNull(value, "atr");
      return this;
    }

    /**
     * Expects exactly these command bytes and answers with these response bytes.
     *
     * @param commandHex the command, hex
     * @param responseHex the response including SW1 SW2, hex
     * @return this builder
     */
    public Builder expect(String commandHex, String responseHex) {
      return expect(CommandApdu.parse(Bytes.fromHex(commandHex)), ResponseApdu.parse(Bytes.fromHex(responseHex)));
    }

    /**
     * Expects exactly this command (compared by encoding) and answers with {@code response}.
     *
     * @param command the expected command
     * @param response the response
     * @return this builder
     */
    public Builder expect(CommandApdu command, ResponseApdu response) {
      Bytes exact = command.encode();
      steps.add(new Step(exact.toHex(), exact, c -> c.encode().equals(exact), c -> response));
      return this;
    }

    /**
     * Expects a command with this header and any data and Le, and computes the response from it
     * (for commands with random content such as INITIALIZE UPDATE).
     *
     * @param cla class
     * @param ins instruction
     * @param p1 parameter 1
     * @param p2 parameter 2
     * @param response computes the response from the actual command
     * @return this builder
     */
    public Builder expectHeader(int cla, int ins, int p1, int p2, Function<CommandApdu, ResponseApdu> response) {
      String d = String.format("header %02X %02X %02X %02X, any data", cla, ins, p1, p2);
      steps.add(new Step(d, null, c -> c.cla() == cla && c.ins() == ins && c.p1() == p1 && c.p2() == p2, response));
      return this;
    }

    /**
     * Expects a command matching a predicate.
     *
     * @param description what is expected, for failure messages
     * @param matcher the test
     * @param response computes the response from the actual command
     * @return this builder
     */
    public Builder expect(String description, Predicate<CommandApdu> matcher, Function<CommandApdu, ResponseApdu> response) {
      if (description == null || description.isBlank()) {
        throw new ValidationException("description", "must say what is expected");
      }
      steps.add(new Step(description, null, Objects.requireNonNull(matcher), Objects.requireNonNull(response)));
      return this;
    }

    /** @return the card */
    public ScriptedCard build() {
      return new ScriptedCard(this);
    }
  }
}
