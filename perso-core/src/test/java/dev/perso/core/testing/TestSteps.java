package dev.perso.core.testing;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepContext;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Small steps, records and a blank chip for tests of the line that keep EMV and track rules out: the
 * real steps are tested in their modules.
 *
 * <pre>{@code
 * PersoStep print = TestSteps.step("print", DeviceRole.PRINTER, "surface", ctx -> ...);
 * RecordSource records = TestSteps.records(100, "magstripe", "applications");
 * }</pre>
 */
public final class TestSteps {
  private static final Bytes ATR = Bytes.fromHex("3B02149000");

  private TestSteps() {}

  /**
   * @param name the step's name
   * @param role the role it needs
   * @param section the section it claims (and requires)
   * @param body what it does on a card
   * @return the step
   */
  public static PersoStep step(String name, DeviceRole<?> role, String section, Consumer<StepContext> body) {
    return new PersoStep() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Set<DeviceRole<?>> roles() {
        return Set.of(role);
      }

      @Override
      public Set<String> sections() {
        return Set.of(section);
      }

      @Override
      public void validate(CardRecord record) {
        record.require(section);
      }

      @Override
      public void run(StepContext context) {
        body.accept(context);
      }
    };
  }

  /** @return a blank chip that answers 9000 to every command */
  public static VirtualCard blankChip() {
    return new VirtualCard() {
      @Override
      public Bytes atr() {
        return ATR;
      }

      @Override
      public ResponseApdu process(CommandApdu command) {
        return ResponseApdu.of(0x9000);
      }

      @Override
      public Bytes reset() {
        return ATR;
      }
    };
  }

  /**
   * @param n how many records, ids {@code 000001} upwards
   * @param sections the (empty object) sections each record has
   * @return the records, generated as they are read
   */
  public static RecordSource records(int n, String... sections) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Iterator<Integer> ids = IntStream.rangeClosed(1, n).iterator();
    return new RecordSource() {
      @Override
      public String name() {
        return "test-records";
      }

      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public RecordInput next() {
        int i = ids.next();
        String location = "test-records:" + i;
        CardRecord.Builder b = CardRecord.builder(String.format("%06d", i)).location(location);
        for (String s : sections) {
          b.section(s, json.createObjectNode());
        }
        return new RecordInput.Read(b.build(), location);
      }

      @Override
      public void close() {}
    };
  }
}
