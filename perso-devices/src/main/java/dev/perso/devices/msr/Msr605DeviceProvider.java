package dev.perso.devices.msr;

import dev.perso.core.DeviceFault;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceAddress;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceProvider;
import dev.perso.devices.serial.SerialLink;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens {@code msr605:<port>?...} (also {@code msr206:} and {@code msr606:}, the same command set) as an
 * {@link Msr605Encoder} on a serial or USB-serial port through jSerialComm, 8N1. The port is opened and the
 * device tested when the encoder opens: a port that cannot be opened is COMMUNICATION_ERROR, a silent
 * device TIMEOUT.
 *
 * <p>Parameters: {@code baud} (9600), {@code commandTimeoutMs} (1000), {@code swipeTimeoutMs} (30000),
 * {@code byteTimeoutMs} (500), {@code erase} ({@code manual}, the default, or {@code flags}: see
 * {@link EraseSelect}), {@code coercivity} ({@code hi} or {@code lo}; default: leave the device's),
 * {@code id} (default: the address).
 *
 * <pre>{@code
 * MagStripeEncoder msr = (MagStripeEncoder) Devices.open("msr605:/dev/ttyUSB0?baud=9600&coercivity=hi");
 * }</pre>
 */
public final class Msr605DeviceProvider implements DeviceProvider {
  private static final Set<String> PARAMS = Set.of("baud", "commandTimeoutMs", "swipeTimeoutMs", "byteTimeoutMs",
      "erase", "coercivity", "id");

  /** Used by {@link java.util.ServiceLoader}. */
  public Msr605DeviceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("msr605", "msr206", "msr606");
  }

  @Override
  public Device open(DeviceAddress a, DeviceContext context) {
    MsrOptions options = options(a);
    SerialLink link;
    try {
      link = SerialLink.open(a.path(), Msr605Encoder.serialConfig(a.intParam("baud", 9600)));
    } catch (TransportException e) {
      throw new MsrException(options.id(), DeviceFault.COMMUNICATION_ERROR, null, e.getMessage(), e);
    }
    return Msr605Encoder.open(link, options);
  }

  /**
   * @param a an {@code msr605:} address
   * @return the encoder options it names
   * @throws ValidationException naming the parameter that is wrong
   */
  public static MsrOptions options(DeviceAddress a) {
    for (String name : a.params().keySet()) {
      if (!PARAMS.contains(name)) {
        throw new ValidationException("device " + a.text() + " " + name,
            "unknown parameter for " + a.scheme() + ": (allowed: " + new TreeSet<>(PARAMS) + ")");
      }
    }
    if (a.path().isBlank()) {
      throw new ValidationException("device " + a.text(), "needs a serial port, e.g. " + a.scheme() + ":/dev/ttyUSB0");
    }
    MsrOptions.Builder b = MsrOptions.builder().id(a.param("id").orElse(a.text()))
        .commandTimeout(ms(a, "commandTimeoutMs", 1000))
        .swipeTimeout(ms(a, "swipeTimeoutMs", 30_000))
        .byteTimeout(ms(a, "byteTimeoutMs", 500));
    b.eraseSelect(switch (a.param("erase").orElse("manual").toLowerCase(Locale.ROOT)) {
      case "manual" -> EraseSelect.MANUAL;
      case "flags" -> EraseSelect.BIT_FLAGS;
      default -> throw new ValidationException("device " + a.text() + " erase", "must be manual or flags");
    });
    if (a.params().containsKey("coercivity")) {
      b.coercivity(switch (a.param("coercivity").orElseThrow().toLowerCase(Locale.ROOT)) {
        case "hi" -> CoercivityMode.HI_CO;
        case "lo" -> CoercivityMode.LO_CO;
        default -> throw new ValidationException("device " + a.text() + " coercivity", "must be hi or lo");
      });
    }
    int baud = a.intParam("baud", 9600);
    if (baud < 50 || baud > 4_000_000) {
      throw new ValidationException("device " + a.text() + " baud", "must be 50..4000000, was " + baud);
    }
    return b.build();
  }

  private static Duration ms(DeviceAddress a, String name, long fallback) {
    long v = a.longParam(name, fallback);
    if (v <= 0) {
      throw new ValidationException("device " + a.text() + " " + name, "must be positive, was " + v);
    }
    return Duration.ofMillis(v);
  }
}
