package dev.perso.devices.serial;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.PersoException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceAddress;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceProvider;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.tpdu.T1Protocol;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens {@code serial-t1:<port>?atr=<hex>&baud=...} as a {@link dev.perso.core.device.ChipStation} whose
 * card answers T=1 at the other end of a serial line ({@link SerialLink} with the {@link T1Protocol} host
 * engine). A plain serial line has no reset signal, so the card's ATR is given in the address; it sets
 * IFSC, EDC and the waiting times. The port is opened with the station (COMMUNICATION_ERROR if it cannot
 * be); the first power negotiates IFSD, and a card that does not answer is CHIP_CONTACT_ERROR. The T=1
 * block sequence runs on across powers (there is no reset to restart it).
 *
 * <p>Parameters: {@code atr} (required, hex), {@code baud} (9600), {@code parity} ({@code even},
 * {@code none}, {@code odd}; default even), {@code stopBits} (1 or 2; default 2), {@code ifsd} (1..254;
 * default 254, 32 skips the negotiation), {@code bwtMs} and {@code cwtMs} (override the ATR's waiting
 * times), {@code id} (default: the address).
 *
 * <pre>{@code
 * ChipStation s = (ChipStation) Devices.open("serial-t1:/dev/ttyUSB0?baud=9600&atr=3B808131FE458B");
 * }</pre>
 */
public final class SerialT1DeviceProvider implements DeviceProvider {
  private static final Set<String> PARAMS = Set.of("atr", "baud", "parity", "stopBits", "ifsd", "bwtMs", "cwtMs", "id");

  /** Used by {@link java.util.ServiceLoader}. */
  public SerialT1DeviceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("serial-t1");
  }

  @Override
  public Device open(DeviceAddress a, DeviceContext context) {
    for (String name : a.params().keySet()) {
      if (!PARAMS.contains(name)) {
        throw new ValidationException("device " + a.text() + " " + name,
            "unknown parameter for serial-t1: (allowed: " + new TreeSet<>(PARAMS) + ")");
      }
    }
    if (a.path().isBlank()) {
      throw new ValidationException("device " + a.text(), "needs a serial port, e.g. serial-t1:/dev/ttyUSB0");
    }
    String hex = a.param("atr").orElseThrow(() -> new ValidationException("device " + a.text() + " atr",
        "is required: a serial line has no reset, give the card's ATR in hex"));
    Bytes atrBytes;
    Atr atr;
    try {
      atrBytes = Bytes.fromHex(hex);
      atr = Atr.parse(atrBytes);
    } catch (PersoException | IllegalArgumentException e) {
      throw new ValidationException("device " + a.text() + " atr", "must be a valid ATR in hex (" + e.getMessage() + ")");
    }
    SerialConfig.Builder config = SerialConfig.builder().baud(a.intParam("baud", 9600));
    config.parity(switch (a.param("parity").orElse("even").toLowerCase(Locale.ROOT)) {
      case "even" -> SerialConfig.Parity.EVEN;
      case "odd" -> SerialConfig.Parity.ODD;
      case "none" -> SerialConfig.Parity.NONE;
      default -> throw new ValidationException("device " + a.text() + " parity", "must be even, odd or none");
    });
    config.stopBits(switch (a.param("stopBits").orElse("2")) {
      case "1" -> SerialConfig.StopBits.ONE;
      case "2" -> SerialConfig.StopBits.TWO;
      default -> throw new ValidationException("device " + a.text() + " stopBits", "must be 1 or 2");
    });
    SerialConfig serial = config.build();
    T1Protocol.Builder t1 = T1Protocol.builder(atr).ifsd(a.intParam("ifsd", 254));
    if (a.params().containsKey("bwtMs")) {
      t1.bwt(Duration.ofMillis(a.longParam("bwtMs", 0)));
    }
    if (a.params().containsKey("cwtMs")) {
      t1.cwt(Duration.ofMillis(a.longParam("cwtMs", 0)));
    }
    String id = a.param("id").orElse(a.text());
    SerialLink link;
    try {
      link = SerialLink.open(a.path(), serial);
    } catch (TransportException e) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, e.getMessage(), e);
    }
    return new SerialT1ChipStation(id, link, atrBytes, t1::build);
  }
}
