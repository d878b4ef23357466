package dev.perso.devices.virtual;

import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceStatus;

/** The id, status and close of every virtual device. */
abstract class VirtualDevice implements Device {
  final DeviceCore core;

  VirtualDevice(DeviceCore core) {
    this.core = core;
  }

  @Override
  public String id() {
    return core.id;
  }

  @Override
  public DeviceStatus status() {
    return core.status();
  }

  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return id() + " " + status();
  }
}
