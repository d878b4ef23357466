package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * What the line measurements run: a stripe written and read back and a chip that takes one STORE DATA,
 * on records streamed from generated JSON Lines. The steps do as little as a step can, so that what is
 * measured is the engine, the devices' bookkeeping and the journal.
 */
final class LineSteps {
  private static final Bytes ATR = Bytes.fromHex("3B02149000");
  private static final CommandApdu STORE_DATA = CommandApdu.of(0x80, 0xE2, 0x80, 0x00, Bytes.fromHex("0101"));

  private LineSteps() {}

  static CardType cardType() {
    return CardType.builder("bench").step(new Step("stripe", DeviceRole.MAG_STRIPE_ENCODER, "magstripe") {
      @Override
      public void run(StepContext ctx) {
        MagStripeEncoder enc = ctx.device(DeviceRole.MAG_STRIPE_ENCODER);
        StripeData data = StripeData.of(Map.of(2, Bytes.of(ctx.record().id().getBytes(StandardCharsets.US_ASCII))));
        ctx.markWritten();
        enc.write(ctx.card(), data);
        if (!data.sameAs(enc.read(ctx.card()))) {
          throw new DeviceException(enc.id(), DeviceFault.READ_BACK_MISMATCH, "track 2");
        }
      }
    }).step(new Step("chip", DeviceRole.CHIP_STATION, "applications") {
      @Override
      public void run(StepContext ctx) {
        try (ChipSession s = ctx.device(DeviceRole.CHIP_STATION).power(ctx.card())) {
          ctx.markWritten();
          s.channel().transmit(STORE_DATA).requireSuccess("STORE DATA");
        }
      }
    }).build();
  }

  static VirtualCard blankChip() {
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

  /** @return {@code n} records as JSON Lines, generated as they are read (nothing held in memory) */
  static RecordSource records(long n) {
    InputStream in = new InputStream() {
      private long next = 1;
      private byte[] line = new byte[0];
      private int pos;

      private boolean fill() {
        if (pos < line.length) {
          return true;
        }
        if (next > n) {
          return false;
        }
        String id = Long.toString(next++);
        line = ("{\"cardId\":\"" + "000000000".substring(Math.min(9, id.length())) + id
            + "\",\"magstripe\":{\"pan\":\"x\"},\"applications\":[]}\n").getBytes(StandardCharsets.US_ASCII);
        pos = 0;
        return true;
      }

      @Override
      public int read() {
        return fill() ? line[pos++] : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int done = 0;
        while (done < len && fill()) {
          int k = Math.min(len - done, line.length - pos);
          System.arraycopy(line, pos, b, off + done, k);
          pos += k;
          done += k;
        }
        return done == 0 && len > 0 ? -1 : done;
      }
    };
    return JsonLinesRecords.of(in, "generated.jsonl");
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
