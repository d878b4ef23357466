package dev.perso.devices.cups;

import dev.perso.core.ValidationException;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceAddress;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceProvider;
import dev.perso.devices.datacard.DatacardEscapes;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens {@code ipp://host[:port]/printers/NAME?tracks=escapes&timeoutMs=...&user=...&id=...} (and
 * {@code ipps:}) as a {@link CupsPrinter}. Parameters: {@code tracks} ({@code none} or {@code escapes}, the
 * driver text escapes for the magnetic stripe; default none), {@code emboss} ({@code none} or
 * {@code datacard}: emboss and indent lines as {@code ~EM%} escapes with the default font table and SD360
 * limits; default none), {@code timeoutMs} per job (120000),
 * {@code pollMs} (50), {@code user} (requesting-user-name, default perso), {@code id}.
 *
 * <pre>{@code
 * CupsPrinter p = (CupsPrinter) Devices.open("ipp://127.0.0.1:631/printers/CARD?tracks=escapes");
 * }</pre>
 */
public final class CupsDeviceProvider implements DeviceProvider {
  private static final Set<String> PARAMS = Set.of("tracks", "emboss", "timeoutMs", "pollMs", "user", "id");

  /** Used by {@link java.util.ServiceLoader}. */
  public CupsDeviceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("ipp", "ipps");
  }

  @Override
  public Device open(DeviceAddress a, DeviceContext context) {
    for (String name : a.params().keySet()) {
      if (!PARAMS.contains(name)) {
        throw new ValidationException("device " + a.text() + " " + name, "unknown parameter for an IPP printer"
            + " (allowed: " + new TreeSet<>(PARAMS) + ")");
      }
    }
    URI uri;
    try {
      uri = new URI(a.scheme() + ":" + a.path());
    } catch (URISyntaxException e) {
      throw new ValidationException("device " + a.text(), "is not a valid URI (" + e.getMessage() + ")");
    }
    CupsPrinter.Builder b = CupsPrinter.builder(uri)
        .timeout(Duration.ofMillis(a.longParam("timeoutMs", 120_000)))
        .pollInterval(Duration.ofMillis(a.longParam("pollMs", 50)))
        .trackEscapes(switch (a.param("tracks").orElse("none")) {
          case "none" -> false;
          case "escapes" -> true;
          default -> throw new ValidationException("device " + a.text() + " tracks", "must be none or escapes");
        });
    b.embossEscapes(switch (a.param("emboss").orElse("none")) {
      case "none" -> null;
      case "datacard" -> DatacardEscapes.builder().build();
      default -> throw new ValidationException("device " + a.text() + " emboss", "must be none or datacard");
    });
    a.param("user").ifPresent(b::user);
    b.id(a.param("id").orElse(a.text()));
    return b.build();
  }
}
