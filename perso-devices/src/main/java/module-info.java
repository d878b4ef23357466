/** Perso SDK devices: ATR/PPS, T=0/T=1, PC/SC, serial links, device providers and virtual devices. */
module dev.perso.devices {
  requires transitive dev.perso.core;
  requires java.smartcardio;
  requires org.slf4j;
  requires com.fazecast.jSerialComm;
  requires com.fasterxml.jackson.databind;
  requires java.desktop;

  exports dev.perso.devices.atr;
  exports dev.perso.devices.link;
  exports dev.perso.devices.tpdu;
  exports dev.perso.devices.pcsc;
  exports dev.perso.devices.serial;
  exports dev.perso.devices.msr;
  exports dev.perso.devices.virtual;
  exports dev.perso.devices.cups;
  exports dev.perso.devices.evolis;
  exports dev.perso.devices.datacard;

  provides dev.perso.core.device.DeviceProvider with
      dev.perso.devices.virtual.VirtualDeviceProvider,
      dev.perso.devices.pcsc.PcscDeviceProvider,
      dev.perso.devices.serial.SerialT1DeviceProvider,
      dev.perso.devices.msr.Msr605DeviceProvider,
      dev.perso.devices.cups.CupsDeviceProvider,
      dev.perso.devices.evolis.EvolisDeviceProvider;
}
