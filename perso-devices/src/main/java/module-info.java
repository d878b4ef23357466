/** Perso SDK devices: ATR/PPS, T=0/T=1, PC/SC, serial links, memory cards, device providers and virtual devices. */
module dev.perso.devices {
  requires transitive dev.perso.core;
  requires java.smartcardio;
  requires com.fazecast.jSerialComm;
  requires com.fasterxml.jackson.databind;

  exports dev.perso.devices.atr;
  exports dev.perso.devices.link;
  exports dev.perso.devices.memory;
  exports dev.perso.devices.tpdu;
  exports dev.perso.devices.pcsc;
  exports dev.perso.devices.serial;
  exports dev.perso.devices.virtual;

  provides dev.perso.core.device.DeviceProvider with
      dev.perso.devices.virtual.VirtualDeviceProvider,
      dev.perso.devices.pcsc.PcscDeviceProvider,
      dev.perso.devices.serial.SerialT1DeviceProvider;
  provides dev.perso.core.step.StepProvider with dev.perso.devices.memory.MemoryCardStepProvider;
}
