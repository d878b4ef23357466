package dev.perso.devices.virtual;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.TransportSensors;
import java.util.List;

/** {@code virtual:transport}: see {@link VirtualDeviceProvider}. */
final class VirtualTransport extends VirtualDevice implements CardTransport {
  private final TransportLogic transport;

  VirtualTransport(DeviceCore core, Params p) {
    super(core);
    this.transport = new TransportLogic(core, p, false);
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
  public void close() {
    if (core.close()) {
      transport.close();
    }
  }
}
