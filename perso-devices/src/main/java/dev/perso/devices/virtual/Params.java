package dev.perso.devices.virtual;

import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceAddress;
import java.util.Set;
import java.util.TreeSet;

/** A virtual device's address parameters, checked against the names its kind allows. */
final class Params {
  private final DeviceAddress address;

  Params(DeviceAddress address, Set<String> allowed) {
    this.address = address;
    for (String name : address.params().keySet()) {
      if (!allowed.contains(name)) {
        throw new ValidationException("device " + address.text() + " " + name,
            "unknown parameter for virtual:" + address.path() + " (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  DeviceAddress address() {
    return address;
  }

  boolean has(String name) {
    return address.params().containsKey(name);
  }

  /** A time in milliseconds, zero or more. */
  long ms(String name, long fallback) {
    long v = address.longParam(name, fallback);
    if (v < 0) {
      throw new ValidationException("device " + address.text() + " " + name, "must be 0 or more milliseconds, was " + v);
    }
    return v;
  }

  /** A count, zero or more (0 usually means no limit). */
  int count(String name, int fallback) {
    int v = address.intParam(name, fallback);
    if (v < 0) {
      throw new ValidationException("device " + address.text() + " " + name, "must be 0 or more, was " + v);
    }
    return v;
  }

  /** A probability in [0, 1]. */
  double rate(String name) {
    double v = address.doubleParam(name, 0.0);
    if (!(v >= 0.0 && v <= 1.0)) {
      throw new ValidationException("device " + address.text() + " " + name, "must be a rate from 0 to 1, was " + v);
    }
    return v;
  }

  long seed() {
    return address.longParam("seed", 1L);
  }

  /** Operation numbers (1-based), comma-separated: {@code jamAt=37} or {@code jamAt=5,40}. */
  Set<Long> at(String name) {
    Set<Long> out = new TreeSet<>();
    String v = address.params().get(name);
    if (v == null) {
      return out;
    }
    for (String part : v.split(",", -1)) {
      long n;
      try {
        n = Long.parseLong(part.trim());
      } catch (NumberFormatException e) {
        throw new ValidationException("device " + address.text() + " " + name,
            "must be operation numbers from 1, comma-separated, was '" + v + "'");
      }
      if (n < 1) {
        throw new ValidationException("device " + address.text() + " " + name, "operation numbers start at 1, was " + n);
      }
      out.add(n);
    }
    return out;
  }

  /** The {@code id} parameter, or the address followed by {@code #n}, n counting devices opened from it in the world. */
  String id(VirtualWorld world) {
    String id = address.params().get("id");
    if (id != null) {
      if (id.isBlank()) {
        throw new ValidationException("device " + address.text() + " id", "must not be blank");
      }
      return id;
    }
    return address.text() + "#" + world.nextIndex(address.text());
  }
}
