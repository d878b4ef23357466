package dev.perso.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.record.CardRecord;
import dev.perso.core.surface.Side;
import dev.perso.devices.surface.CardRenderer;
import dev.perso.devices.surface.PanelRasters;
import dev.perso.devices.surface.SurfaceLayout;
import dev.perso.devices.surface.SurfacePlan;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One colour card side at 300 dpi (the {@code debit-example} front: background, band, text, logo): the
 * layout filled with a record and checked, the face rendered, and the face split into YMCKO panel rasters
 * (Y, M, C 8-bit; K and O 1-bit), in ms per side. A card printer's cycle is about 10-30 s per colour card.
 * Headless AWT.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
public class SurfaceBenchmark {
  private CardRenderer renderer;
  private SurfaceLayout layout;
  private CardRecord record;

  @Setup
  public void setUp() {
    layout = SurfaceLayout.load("debit-example", Path.of("."));
    renderer = CardRenderer.of(layout);
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("pan", "4761739000000012");   // Visa test BIN, made-up cardholder
    s.put("name", "Ada Lovelace");
    s.put("expiry", "2912");
    s.put("cvv2", "123");
    record = CardRecord.builder("0001").section("surface", s).build();
  }

  /** @return the front's panels, from the record: plan, render, rasterise */
  @Benchmark
  public PanelRasters colourFrontPanels300dpi() {
    SurfacePlan plan = layout.plan(record);
    return renderer.panels(plan, Side.FRONT, 300);
  }

  /** @return the front as the PNG a printer job carries */
  @Benchmark
  public byte[] colourFrontPng300dpi() {
    return CardRenderer.png(renderer.renderFace(layout.plan(record), Side.FRONT, 300));
  }
}
