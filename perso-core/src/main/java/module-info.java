/**
 * Perso SDK core: bytes, APDUs, BER-TLV, the card channel and its decorators, virtual cards, events
 * and the exception hierarchy. Depends on the SLF4J API only.
 */
module dev.perso.core {
  requires org.slf4j;

  exports dev.perso.core;
  exports dev.perso.core.apdu;
  exports dev.perso.core.card;
  exports dev.perso.core.channel;
  exports dev.perso.core.event;
  exports dev.perso.core.tlv;
}
