package dev.perso.devices.virtual;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.StripeData;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/** A magnetic-stripe encoder's behaviour, shared by {@code virtual:magstripe} and {@code virtual:desktop}. */
final class StripeLogic {
  static final Set<String> FAULT_PARAMS = Set.of("readMs", "eraseMs", "readErrorAt", "readErrorRate", "writeErrorAt", "seed");

  private final DeviceCore core;
  private final long writeMs;
  private final long readMs;
  private final long eraseMs;
  private final Set<Long> readErrorAt;
  private final Set<Long> writeErrorAt;
  private final double readErrorRate;
  private final Random random;
  private long writes;
  private long reads;

  StripeLogic(DeviceCore core, Params p, String msName) {
    this.core = core;
    this.writeMs = p.ms(msName, 0);
    this.readMs = p.ms("readMs", 0);
    this.eraseMs = p.ms("eraseMs", writeMs);
    this.readErrorAt = p.at("readErrorAt");
    this.writeErrorAt = p.at("writeErrorAt");
    this.readErrorRate = p.rate("readErrorRate");
    this.random = new Random(p.seed());
  }

  void write(CardTag card, StripeData data) {
    Objects.requireNonNull(data, "data");
    core.checkUsable();
    core.begin();
    try {
      long n;
      synchronized (core) {
        n = ++writes;
      }
      core.world.with(core.id, card, b -> b);
      core.take(writeMs);
      if (writeErrorAt.contains(n)) {
        throw new DeviceException(core.id, DeviceFault.WRITE_ERROR, "write " + n + " failed (cue)");
      }
      core.world.update(core.id, card, b -> b.tracks.putAll(data.tracks()));
    } finally {
      core.end();
    }
  }

  StripeData read(CardTag card) {
    core.checkUsable();
    core.begin();
    try {
      long n;
      boolean corrupt;
      synchronized (core) {
        n = ++reads;
        corrupt = readErrorAt.contains(n) || (readErrorRate > 0 && random.nextDouble() < readErrorRate);
      }
      core.world.with(core.id, card, b -> b);
      core.take(readMs);
      TreeMap<Integer, Bytes> tracks = core.world.with(core.id, card, b -> new TreeMap<>(b.tracks));
      if (corrupt && !tracks.isEmpty()) {
        Map.Entry<Integer, Bytes> first = tracks.firstEntry();
        byte[] bad = first.getValue().toByteArray();
        if (bad.length == 0) {
          tracks.remove(first.getKey());
        } else {
          bad[bad.length / 2] = (byte) (bad[bad.length / 2] == '0' ? '1' : '0');
          tracks.put(first.getKey(), Bytes.secret(bad));
        }
      }
      return StripeData.of(tracks);
    } finally {
      core.end();
    }
  }

  void erase(CardTag card, Set<Integer> tracks) {
    for (Integer t : tracks) {
      if (t == null || t < 1 || t > 3) {
        throw new ValidationException("track", "must be 1, 2 or 3, was " + t);
      }
    }
    core.checkUsable();
    core.begin();
    try {
      core.world.with(core.id, card, b -> b);
      core.take(eraseMs);
      core.world.update(core.id, card, b -> b.tracks.keySet().removeAll(tracks));
    } finally {
      core.end();
    }
  }
}
