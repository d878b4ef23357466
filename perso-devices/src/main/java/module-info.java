/** Perso SDK devices: ATR/PPS, T=0/T=1, PC/SC, serial links, memory cards, device providers and virtual devices. */
module dev.perso.devices {
  requires transitive dev.perso.core;
  requires java.smartcardio;
  requires org.slf4j;
  requires com.fazecast.jSerialComm;
  requires com.fasterxml.jackson.databind;
  requires com.google.zxing;
  requires transitive java.desktop;   // previews are java.awt.image.BufferedImage

  exports dev.perso.devices.atr;
  exports dev.perso.devices.link;
  exports dev.perso.devices.link.simulator;   // in-memory links with fault injection (tests, emulators)
  exports dev.perso.devices.memory;
  exports dev.perso.devices.tpdu;
  exports dev.perso.devices.tpdu.card;        // the card end of T=0/T=1, for virtual cards
  exports dev.perso.devices.pcsc;
  exports dev.perso.devices.serial;
  exports dev.perso.devices.msr;
  exports dev.perso.devices.virtual;
  exports dev.perso.devices.cups;
  exports dev.perso.devices.evolis;
  exports dev.perso.devices.datacard;
  exports dev.perso.devices.surface;

  // Layout files are read into the surface records by Jackson.
  opens dev.perso.devices.surface to com.fasterxml.jackson.databind;

  provides dev.perso.core.device.DeviceProvider with
      dev.perso.devices.virtual.VirtualDeviceProvider,
      dev.perso.devices.pcsc.PcscDeviceProvider,
      dev.perso.devices.serial.SerialT1DeviceProvider,
      dev.perso.devices.msr.Msr605DeviceProvider,
      dev.perso.devices.cups.CupsDeviceProvider,
      dev.perso.devices.evolis.EvolisDeviceProvider;
  provides dev.perso.core.step.StepProvider with
      dev.perso.devices.surface.SurfaceStepProvider.Emboss,
      dev.perso.devices.surface.SurfaceStepProvider.Indent,
      dev.perso.devices.surface.SurfaceStepProvider.Print,
      dev.perso.devices.surface.SurfaceStepProvider.Laser,
      dev.perso.devices.memory.MemoryCardStepProvider;
}
