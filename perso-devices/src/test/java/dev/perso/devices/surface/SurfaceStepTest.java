package dev.perso.devices.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.Devices;
import dev.perso.core.line.LineClock;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.CardType;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.surface.Side;
import dev.perso.core.testing.TestStepContext;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Surface steps on virtual devices: the virtual card's preview is exactly what the devices were asked to do. */
class SurfaceStepTest {
  private final DeviceContext ctx = DeviceContext.builder().clock(LineClock.virtual()).build();
  private final VirtualWorld world = VirtualWorld.of(ctx);
  private final SurfaceLayout layout = SurfaceFixtures.debit();

  @Test
  void cardTypesLoadSurfaceStepsFromJson() {
    CardType type = CardTypes.parse("{\"name\":\"s\",\"steps\":[{\"type\":\"print\",\"layout\":\"debit-example\","
        + "\"dpi\":200},{\"type\":\"emboss\",\"layout\":\"debit-example\"},{\"type\":\"indent\",\"layout\":"
        + "\"debit-example\"}]}", "s.json", StepEnvironment.builder(Path.of(".")).build());
    assertThat(type.steps()).extracting(s -> s.name()).containsExactly("print", "emboss", "indent");
    assertThat(type.sections()).containsExactly("surface");
    assertThat(((SurfaceStep) type.steps().get(0)).dpi()).isEqualTo(200);
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"s\",\"steps\":[{\"type\":\"laser\",\"layout\":"
        + "\"debit-example\"}]}", "s.json", StepEnvironment.builder(Path.of(".")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage())
            .contains("s.json $.steps[0]").contains("nothing to laser"));
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"s\",\"steps\":[{\"type\":\"emboss\",\"layout\":"
        + "{\"name\":\"x\",\"emboss\":[{\"name\":\"p\",\"text\":\"1\",\"font\":\"GOTHIC\",\"x\":10,\"y\":48,"
        + "\"toping\":\"GOLD\"}]}}]}", "s.json", StepEnvironment.builder(Path.of(".")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field())
            .isEqualTo("s.json $.steps[0].layout.emboss[0].toping"));
  }

  @Test
  void virtualDevicesRecordWhatTheStepsDidAndThePreviewMatchesThePlan() {
    CardRecord record = SurfaceFixtures.ada();
    CardTag tag = new CardTag(1, record.id());
    world.place(tag, null);
    TestStepContext run = new TestStepContext(record)
        .device(DeviceRole.PRINTER, DeviceRole.PRINTER.cast(Devices.open("virtual:printer", ctx)))
        .device(DeviceRole.EMBOSSER, DeviceRole.EMBOSSER.cast(Devices.open("virtual:embosser", ctx)))
        .device(DeviceRole.INDENTER, DeviceRole.INDENTER.cast(Devices.open("virtual:indenter", ctx)));
    List<SurfaceStep> steps = List.of(SurfaceStep.print(layout), SurfaceStep.emboss(layout), SurfaceStep.indent(layout));
    CardSurface planned = CardSurface.blank();
    SurfacePlan plan = layout.plan(record);
    for (SurfaceStep step : steps) {
      step.validate(record);
      step.run(run);
      planned = step.apply(plan, planned);
    }
    assertThat(run.markWrittenCalls()).isEqualTo(3);
    PhysicalCard card = world.card(tag).orElseThrow();
    assertThat(card.embossLines()).isEqualTo(plan.emboss());
    assertThat(card.indentLines()).isEqualTo(plan.indent());
    assertThat(card.printJobs()).singleElement().satisfies(j -> assertThat(j.faces()).containsKeys(Side.FRONT, Side.BACK));
    CardRenderer r = CardRenderer.of(layout);
    for (Side side : Side.values()) {
      assertThat(CardRendererTest.pixels(r.render(CardSurface.of(card), side, 100).image()))
          .isEqualTo(CardRendererTest.pixels(r.render(planned, side, 100).image()));
    }
  }

  @Test
  void aRecordThatBreaksTheLayoutIsRejectedBeforeAnyCardIsUsed() {
    CardRecord tooLong = SurfaceFixtures.record("0002", "4761739000000012", "ADA AUGUSTA KING COUNTESS OF LOVELACE");
    assertThatThrownBy(() -> SurfaceStep.emboss(layout).validate(tooLong))
        .isInstanceOfSatisfying(SurfaceValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("card 0002 surface.cardholder");
          assertThat(e.checks()).extracting(SurfaceCheck::rule).contains(SurfaceCheck.Rule.NAME_LENGTH);
          assertThat(e.getMessage()).doesNotContain("LOVELACE");
        });
  }

  @Test
  void laserJobsFillTheTemplateAndThePreviewEngravesThem() throws Exception {
    SurfaceLayout laser = SurfaceLayout.parse("{\"name\":\"id\",\"laser\":[{\"name\":\"id-front\",\"side\":\"FRONT\","
        + "\"elements\":[{\"name\":\"holder\",\"kind\":\"TEXT\",\"value\":\"{name:upper}\",\"box\":[8,40,50,5],"
        + "\"size\":10},{\"name\":\"code\",\"kind\":\"BARCODE\",\"format\":\"QR_CODE\",\"value\":\"{id}\","
        + "\"box\":[62,30,18,18]}]}]}", "id.json", Path.of("."));
    CardRecord record = SurfaceFixtures.ada();
    CardTag tag = new CardTag(1, record.id());
    world.place(tag, null);
    SurfaceStep step = SurfaceStep.laser(laser);
    step.run(new TestStepContext(record).device(DeviceRole.LASER_ENGRAVER,
        DeviceRole.LASER_ENGRAVER.cast(Devices.open("virtual:laser", ctx))));
    PhysicalCard card = world.card(tag).orElseThrow();
    assertThat(card.laserJobs()).singleElement().satisfies(j -> {
      assertThat(j.template()).isEqualTo("id-front");
      assertThat(j.elements()).containsEntry("holder", "ADA LOVELACE").containsEntry("code", "0001");
    });
    Preview front = CardRenderer.of(laser).render(CardSurface.of(card), Side.FRONT, 300);
    CardRendererTest.requireTool("zbarimg", "apt-get install zbar-tools");
    Path png = java.nio.file.Files.createTempFile("laser", ".png");
    try {
      javax.imageio.ImageIO.write(front.image(), "png", png.toFile());
      Process p = new ProcessBuilder("zbarimg", "--quiet", "--raw", png.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();
      assertThat(out.trim()).isEqualTo("0001");   // the engraved QR code reads back
    } finally {
      java.nio.file.Files.deleteIfExists(png);
    }
  }
}
