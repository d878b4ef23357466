package dev.perso.devices.virtual;

import dev.perso.core.device.CardPrinter;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.Embosser;
import dev.perso.core.device.Indenter;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.device.TransportSensors;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.PrintJob;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code virtual:desktop}: a desktop card printer with one position that holds the card for all its work:
 * transport, printer, stripe encoder, chip station, embosser and indenter in one device with one status (a fault of
 * any part faults the machine). See {@link VirtualDeviceProvider}.
 */
final class VirtualDesktop extends VirtualDevice implements CardTransport, CardPrinter, MagStripeEncoder, ChipStation,
    Embosser, Indenter {
  private final TransportLogic transport;
  private final StripeLogic stripe;
  private final ChipLogic chip;
  private final SurfaceLogic printer;
  private final SurfaceLogic embosser;
  private final SurfaceLogic indenter;

  VirtualDesktop(DeviceCore core, Params p) {
    super(core);
    this.transport = new TransportLogic(core, p, true);
    this.stripe = new StripeLogic(core, p, "stripeMs");
    this.chip = new ChipLogic(core, p, "chipMs");
    long fix = p.ms("fixMs", 0);
    this.printer = new SurfaceLogic(core, "print", p.ms("printMs", 0), p.count("ribbonOutAfter", 0),
        p.ms("refillMs", fix), p.at("coverOpenAt"), fix);
    this.embosser = new SurfaceLogic(core, "emboss", p.ms("embossMs", 0), 0, 0, Set.of(), fix);
    this.indenter = new SurfaceLogic(core, "indent", p.ms("indentMs", 0), 0, 0, Set.of(), fix);
  }

  @Override
  public void feed(CardTag card) {
    transport.feed(card);
  }

  @Override
  public void moveTo(CardTag card, String position) {
    transport.moveTo(card, position);
  }

  @Override
  public void eject(CardTag card) {
    transport.eject(card);
  }

  @Override
  public void reject(CardTag card) {
    transport.reject(card);
  }

  @Override
  public void retag(CardTag card) {
    transport.retag(card);
  }

  @Override
  public List<CardTag> cardsInside() {
    return transport.cardsInside();
  }

  @Override
  public boolean knowsCardsAfterRestart() {
    return transport.knowsCardsAfterRestart();
  }

  @Override
  public TransportSensors sensors() {
    return transport.sensors();
  }

  @Override
  public void print(CardTag card, PrintJob job) {
    Objects.requireNonNull(job, "job");
    printer.run(card, b -> b.prints.add(job));
  }

  @Override
  public void emboss(CardTag card, List<EmbossLine> lines) {
    List<EmbossLine> copy = List.copyOf(lines);
    embosser.run(card, b -> b.emboss.addAll(copy));
  }

  @Override
  public void indent(CardTag card, List<IndentLine> lines) {
    List<IndentLine> copy = List.copyOf(lines);
    indenter.run(card, b -> b.indent.addAll(copy));
  }

  @Override
  public void write(CardTag card, StripeData data) {
    stripe.write(card, data);
  }

  @Override
  public StripeData read(CardTag card) {
    return stripe.read(card);
  }

  @Override
  public void erase(CardTag card, Set<Integer> tracks) {
    stripe.erase(card, tracks);
  }

  @Override
  public ChipSession power(CardTag card) {
    return chip.power(card);
  }

  @Override
  public void close() {
    if (core.close()) {
      transport.close();
    }
  }
}
