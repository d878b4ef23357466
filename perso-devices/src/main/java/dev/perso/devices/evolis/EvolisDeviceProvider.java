package dev.perso.devices.evolis;

import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceAddress;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceProvider;
import dev.perso.devices.evolis.internal.TcpLink;
import dev.perso.devices.link.ByteLink;
import dev.perso.devices.serial.SerialConfig;
import dev.perso.devices.serial.SerialLink;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens {@code evolis:tcp://host:port} (the printer's raw TCP port, usually 9100) or
 * {@code evolis:/dev/ttyUSB0} (serial or USB-serial, 8N1) as an {@link EvolisPrinter}. Parameters:
 * {@code ribbon} ({@code ymcko} or {@code k}; default ymcko), {@code coercivity} ({@code hico} or
 * {@code loco}; default hico), {@code timeoutMs} per reply (5000), {@code magTimeoutMs} (15000),
 * {@code printTimeoutMs} (60000), {@code baud} for a serial port (9600), {@code id}.
 *
 * <pre>{@code
 * EvolisPrinter p = (EvolisPrinter) Devices.open("evolis:tcp://127.0.0.1:9100?ribbon=k&coercivity=loco");
 * }</pre>
 */
public final class EvolisDeviceProvider implements DeviceProvider {
  private static final Set<String> PARAMS = Set.of("ribbon", "coercivity", "timeoutMs", "magTimeoutMs",
      "printTimeoutMs", "baud", "id");

  /** Used by {@link java.util.ServiceLoader}. */
  public EvolisDeviceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("evolis");
  }

  @Override
  public Device open(DeviceAddress a, DeviceContext context) {
    for (String name : a.params().keySet()) {
      if (!PARAMS.contains(name)) {
        throw new ValidationException("device " + a.text() + " " + name, "unknown parameter for evolis:"
            + " (allowed: " + new TreeSet<>(PARAMS) + ")");
      }
    }
    EvolisPrinter.Builder b = EvolisPrinter.builder()
        .ribbon(switch (a.param("ribbon").orElse("ymcko").toLowerCase(Locale.ROOT)) {
          case "ymcko" -> EvolisPrinter.Ribbon.YMCKO;
          case "k" -> EvolisPrinter.Ribbon.K;
          default -> throw new ValidationException("device " + a.text() + " ribbon", "must be ymcko or k");
        })
        .coercivity(switch (a.param("coercivity").orElse("hico").toLowerCase(Locale.ROOT)) {
          case "hico" -> EvolisPrinter.Coercivity.HIGH;
          case "loco" -> EvolisPrinter.Coercivity.LOW;
          default -> throw new ValidationException("device " + a.text() + " coercivity", "must be hico or loco");
        })
        .replyTimeout(Duration.ofMillis(a.longParam("timeoutMs", 5_000)))
        .magTimeout(Duration.ofMillis(a.longParam("magTimeoutMs", 15_000)))
        .printTimeout(Duration.ofMillis(a.longParam("printTimeoutMs", 60_000)))
        .id(a.param("id").orElse(a.text()));
    String path = a.path();
    String id = a.param("id").orElse(a.text());
    ByteLink link;
    try {
      if (path.startsWith("tcp://")) {
        String hostPort = path.substring("tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
          throw new ValidationException("device " + a.text(), "needs tcp://host:port, e.g. evolis:tcp://10.0.0.7:9100");
        }
        int port;
        try {
          port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new ValidationException("device " + a.text() + " port", "must be a number 1..65535");
        }
        if (port < 1 || port > 65535) {
          throw new ValidationException("device " + a.text() + " port", "must be 1..65535, was " + port);
        }
        link = TcpLink.connect(hostPort.substring(0, colon), port, Duration.ofSeconds(5));
      } else if (!path.isBlank()) {
        link = SerialLink.open(path, SerialConfig.builder().baud(a.intParam("baud", 9600))
            .parity(SerialConfig.Parity.NONE).stopBits(SerialConfig.StopBits.ONE).build());
      } else {
        throw new ValidationException("device " + a.text(), "needs tcp://host:port or a serial port path");
      }
    } catch (TransportException e) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, e.getMessage(), e);
    }
    return b.open(link);
  }
}
