/** Perso SDK devices: ATR/PPS, T=0/T=1, PC/SC, serial links, device SPI and virtual devices. */
module dev.perso.devices {
  requires transitive dev.perso.core;
  requires java.smartcardio;
  requires com.fazecast.jSerialComm;

  exports dev.perso.devices.atr;
  exports dev.perso.devices.link;
  exports dev.perso.devices.tpdu;
  exports dev.perso.devices.pcsc;
  exports dev.perso.devices.serial;
}
