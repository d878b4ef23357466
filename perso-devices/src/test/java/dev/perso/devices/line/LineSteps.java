package dev.perso.devices.line;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.device.CardPrinter;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.step.PersoStep;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.core.testing.TestSteps;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;

/**
 * Steps for line tests on the virtual devices: a stripe written and read back, a chip that takes a STORE
 * DATA, a printed face. The real stripe and EMV steps are tested in their modules; these keep the
 * line's own tests free of EMV.
 */
final class LineSteps {
  private LineSteps() {}

  static PersoStep stripe() {
    return TestSteps.step("stripe", DeviceRole.MAG_STRIPE_ENCODER, "magstripe", ctx -> {
      MagStripeEncoder enc = ctx.device(DeviceRole.MAG_STRIPE_ENCODER);
      StripeData data = StripeData.of(Map.of(2, Bytes.of(("9" + ctx.record().id()).getBytes(StandardCharsets.US_ASCII))));
      ctx.markWritten();
      enc.write(ctx.card(), data);
      int bad = data.firstDifference(enc.read(ctx.card()));
      if (bad != 0) {
        throw new DeviceException(enc.id(), DeviceFault.READ_BACK_MISMATCH, "track " + bad);
      }
    });
  }

  static PersoStep chip() {
    return TestSteps.step("chip", DeviceRole.CHIP_STATION, "applications", ctx -> {
      try (ChipSession s = ctx.device(DeviceRole.CHIP_STATION).power(ctx.card())) {
        ctx.markWritten();
        s.channel().transmit(CommandApdu.of(0x80, 0xE2, 0x80, 0x00, Bytes.fromHex("0101"))).requireSuccess("STORE DATA");
      }
    });
  }

  static PersoStep print() {
    return TestSteps.step("print", DeviceRole.PRINTER, "surface", ctx -> {
      CardPrinter p = ctx.device(DeviceRole.PRINTER);
      ctx.markWritten();
      p.print(ctx.card(), PrintJob.builder().face(Side.FRONT, Bytes.fromHex("89504E47"), EnumSet.of(Panel.K)).build());
    });
  }
}
