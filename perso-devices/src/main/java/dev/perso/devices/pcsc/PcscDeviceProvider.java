package dev.perso.devices.pcsc;

import dev.perso.core.ValidationException;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceAddress;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Opens {@code pcsc:<reader>} as a {@link dev.perso.core.device.ChipStation} over {@link PcscReaders}: the
 * reader is a name prefix or a glob ({@code *}; write a {@code ?} of a glob as {@code %3F}, since {@code ?}
 * starts the parameters). Powering connects to the card in the reader and gives its ATR and the raw channel
 * (add {@link dev.perso.core.channel.GetResponse} as the step needs); no card, or one that does not answer,
 * is CHIP_CONTACT_ERROR; no matching reader is COMMUNICATION_ERROR. Parameters: {@code protocol}
 * ({@code any} (default), {@code t0}, {@code t1}), {@code sharing} ({@code shared} (default),
 * {@code exclusive}), {@code id} (default: the address). PC/SC is not touched until the station is used.
 *
 * <pre>{@code
 * ChipStation station = (ChipStation) Devices.open("pcsc:ACS ACR39U*?protocol=t1");
 * try (ChipSession chip = station.power(card)) { chip.channel().transmit(select); }
 * }</pre>
 */
public final class PcscDeviceProvider implements DeviceProvider {
  private static final Set<String> PARAMS = Set.of("protocol", "sharing", "id");

  /** Used by {@link java.util.ServiceLoader}. */
  public PcscDeviceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("pcsc");
  }

  @Override
  public Device open(DeviceAddress address, DeviceContext context) {
    for (String name : address.params().keySet()) {
      if (!PARAMS.contains(name)) {
        throw new ValidationException("device " + address.text() + " " + name,
            "unknown parameter for pcsc: (allowed: [id, protocol, sharing])");
      }
    }
    String pattern;
    try {
      pattern = URLDecoder.decode(address.path().replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("device " + address.text(), "reader name is not URL-encoded");
    }
    if (pattern.isBlank()) {
      throw new ValidationException("device " + address.text(), "needs a reader name or glob, e.g. pcsc:ACS ACR39U*");
    }
    PcscProtocol protocol = switch (address.param("protocol").orElse("any").toLowerCase(Locale.ROOT)) {
      case "any" -> PcscProtocol.ANY;
      case "t0", "t=0" -> PcscProtocol.T0;
      case "t1", "t=1" -> PcscProtocol.T1;
      default -> throw new ValidationException("device " + address.text() + " protocol", "must be any, t0 or t1");
    };
    Sharing sharing = switch (address.param("sharing").orElse("shared").toLowerCase(Locale.ROOT)) {
      case "shared" -> Sharing.SHARED;
      case "exclusive" -> Sharing.EXCLUSIVE;
      default -> throw new ValidationException("device " + address.text() + " sharing", "must be shared or exclusive");
    };
    String id = address.param("id").orElse(address.text());
    return new PcscChipStation(id, pattern, protocol, sharing);
  }
}
