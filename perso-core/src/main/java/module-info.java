/**
 * Perso SDK core: bytes, APDUs, BER-TLV, the card channel and its decorators, virtual cards, events,
 * the exception hierarchy, and the production line: card records, device roles, steps, card types,
 * the line engine and the job journal.
 */
module dev.perso.core {
  requires org.slf4j;
  requires transitive com.fasterxml.jackson.databind;
  requires java.sql;

  exports dev.perso.core;
  exports dev.perso.core.apdu;
  exports dev.perso.core.card;
  exports dev.perso.core.cardholder;
  exports dev.perso.core.channel;
  exports dev.perso.core.device;
  exports dev.perso.core.event;
  exports dev.perso.core.journal;
  exports dev.perso.core.line;
  exports dev.perso.core.record;
  exports dev.perso.core.step;
  exports dev.perso.core.surface;
  exports dev.perso.core.tlv;
  // Implementation helpers for the SDK's own modules, not an API.
  exports dev.perso.core.internal to dev.perso.crypto, dev.perso.iso7813, dev.perso.devices, dev.perso.emv,
      dev.perso.samples;

  uses dev.perso.core.device.DeviceProvider;
  uses dev.perso.core.step.StepProvider;
}
