package dev.perso.devices.line;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardPrinter;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepContext;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Steps for line tests on the virtual devices: a stripe written and read back, a chip that takes a STORE
 * DATA, a printed face. The real stripe and EMV steps are tested in their modules; these keep the
 * line's own tests free of EMV.
 */
final class LineSteps {
  private LineSteps() {}

  static PersoStep stripe() {
    return new Step("stripe", DeviceRole.MAG_STRIPE_ENCODER, "magstripe") {
      @Override
      public void run(StepContext ctx) {
        MagStripeEncoder enc = ctx.device(DeviceRole.MAG_STRIPE_ENCODER);
        StripeData data = StripeData.of(Map.of(2, Bytes.of(("9" + ctx.record().id()).getBytes(StandardCharsets.US_ASCII))));
        ctx.markWritten();
        enc.write(ctx.card(), data);
        int bad = data.firstDifference(enc.read(ctx.card()));
        if (bad != 0) {
          throw new DeviceException(enc.id(), DeviceFault.READ_BACK_MISMATCH, "track " + bad);
        }
      }
    };
  }

  static PersoStep chip() {
    return new Step("chip", DeviceRole.CHIP_STATION, "applications") {
      @Override
      public void run(StepContext ctx) {
        try (ChipSession s = ctx.device(DeviceRole.CHIP_STATION).power(ctx.card())) {
          ctx.markWritten();
          s.channel().transmit(CommandApdu.of(0x80, 0xE2, 0x80, 0x00, Bytes.fromHex("0101"))).requireSuccess("STORE DATA");
        }
      }
    };
  }

  static PersoStep print() {
    return new Step("print", DeviceRole.PRINTER, "surface") {
      @Override
      public void run(StepContext ctx) {
        CardPrinter p = ctx.device(DeviceRole.PRINTER);
        ctx.markWritten();
        p.print(ctx.card(), PrintJob.builder().face(Side.FRONT, Bytes.fromHex("89504E47"), EnumSet.of(Panel.K)).build());
      }
    };
  }

  /** A blank chip that accepts any command. */
  static VirtualCard blankChip() {
    return new VirtualCard() {
      @Override
      public Bytes atr() {
        return Bytes.fromHex("3B02149000");
      }

      @Override
      public ResponseApdu process(CommandApdu command) {
        return ResponseApdu.of(0x9000);
      }

      @Override
      public Bytes reset() {
        return atr();
      }
    };
  }

  static RecordSource records(int n, String... sections) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Iterator<Integer> ids = IntStream.rangeClosed(1, n).iterator();
    return new RecordSource() {
      @Override
      public String name() {
        return "records";
      }

      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public RecordInput next() {
        int i = ids.next();
        CardRecord.Builder b = CardRecord.builder(String.format("%06d", i)).location("records:" + i);
        for (String s : sections) {
          b.section(s, json.createObjectNode());
        }
        return new RecordInput.Read(b.build(), "records:" + i);
      }

      @Override
      public void close() {}
    };
  }

  private abstract static class Step implements PersoStep {
    private final String name;
    private final DeviceRole<?> role;
    private final String section;

    Step(String name, DeviceRole<?> role, String section) {
      this.name = name;
      this.role = role;
      this.section = section;
    }

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
  }
}
