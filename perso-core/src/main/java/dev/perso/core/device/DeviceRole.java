package dev.perso.core.device;

import java.util.List;
import java.util.Objects;

/**
 * A role a device plays at a station, as a typed key: steps name the roles they need, machines find the
 * device playing each role. New roles (e.g. a memory-card reader) are new constants of this
 * class's shape; the line engine handles any role the same way.
 *
 * <pre>{@code
 * MagStripeEncoder encoder = context.device(DeviceRole.MAG_STRIPE_ENCODER);
 * }</pre>
 *
 * @param <T> the device interface of the role
 */
public final class DeviceRole<T extends Device> {

  /** Feeds, moves, ejects and rejects cards. */
  public static final DeviceRole<CardTransport> TRANSPORT = new DeviceRole<>("transport", CardTransport.class);
  /** Writes, reads back and erases magnetic stripes. */
  public static final DeviceRole<MagStripeEncoder> MAG_STRIPE_ENCODER =
      new DeviceRole<>("magstripe-encoder", MagStripeEncoder.class);
  /** Powers a card's chip and gives a channel to it. */
  public static final DeviceRole<ChipStation> CHIP_STATION = new DeviceRole<>("chip-station", ChipStation.class);
  /** Embosses characters in relief, with topping. */
  public static final DeviceRole<Embosser> EMBOSSER = new DeviceRole<>("embosser", Embosser.class);
  /** Indents (debosses) characters. */
  public static final DeviceRole<Indenter> INDENTER = new DeviceRole<>("indenter", Indenter.class);
  /** Prints faces of the card. */
  public static final DeviceRole<CardPrinter> PRINTER = new DeviceRole<>("printer", CardPrinter.class);
  /** Engraves with a laser. */
  public static final DeviceRole<LaserEngraver> LASER_ENGRAVER =
      new DeviceRole<>("laser-engraver", LaserEngraver.class);

  /** Reads the codes printed or engraved on a card (a barcode imager). */
  public static final DeviceRole<CodeScanner> CODE_SCANNER = new DeviceRole<>("code-scanner", CodeScanner.class);

  private static final List<DeviceRole<?>> BUILT_IN = List.of(TRANSPORT, MAG_STRIPE_ENCODER, CHIP_STATION, EMBOSSER,
      INDENTER, PRINTER, LASER_ENGRAVER, CODE_SCANNER);

  private final String name;
  private final Class<T> type;

  private DeviceRole(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /**
   * A role of a module's own, e.g. a memory-card reader.
   *
   * @param name the role's name in files and messages
   * @param type the device interface
   * @param <T> the device interface
   * @return the role; two roles are equal when their names are
   */
  public static <T extends Device> DeviceRole<T> of(String name, Class<T> type) {
    return new DeviceRole<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
  }

  /** @return the roles of perso-core */
  public static List<DeviceRole<?>> builtIn() {
    return BUILT_IN;
  }

  /**
   * @param name a role's name as written in files
   * @return the built-in role
   * @throws dev.perso.core.ValidationException naming the known roles
   */
  public static DeviceRole<?> named(String name) {
    for (DeviceRole<?> r : BUILT_IN) {
      if (r.name.equals(name)) {
        return r;
      }
    }
    throw new dev.perso.core.ValidationException("role", "unknown role '" + name + "' (known: "
        + BUILT_IN.stream().map(DeviceRole::name).toList() + ")");
  }

  /** @return the role's name, e.g. {@code chip-station} */
  public String name() {
    return name;
  }

  /** @return the device interface */
  public Class<T> type() {
    return type;
  }

  /**
   * @param device a device
   * @return the device as this role's interface
   * @throws IllegalArgumentException if the device does not play this role
   */
  public T cast(Device device) {
    if (!type.isInstance(device)) {
      throw new IllegalArgumentException(device.id() + " is not a " + name);
    }
    return type.cast(device);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceRole<?> r && r.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
