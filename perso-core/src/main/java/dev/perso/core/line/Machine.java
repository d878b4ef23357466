package dev.perso.core.line;

import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceRole;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A personalization machine: a card transport and its modules. A <em>desktop</em> machine has one
 * position that holds the card for all its steps, one card at a time. A <em>conveyor</em> machine is a
 * pipeline of modules (magnetic module, N parallel chip stations, embosser, printer...): cards enter in
 * order, take a free station where a module has several, and leave in the order they entered; a rejected
 * card goes to the reject bin.
 *
 * <pre>{@code
 * Machine mx = Machine.conveyor("mx-1")
 *     .transport(Devices.open("virtual:transport", ctx))
 *     .module("mag", Devices.open("virtual:magstripe?ms=1000", ctx))
 *     .stations("chip", 8, i -> Devices.open("virtual:chip?ms=6000&id=chip-" + i, ctx))
 *     .build();
 * Machine desk = Machine.desktop("desk-1").device(Devices.open("virtual:desktop", ctx)).build();
 * }</pre>
 */
public final class Machine implements AutoCloseable {

  /** The kinds of machine. */
  public enum Kind {
    /** One position, one card at a time. */
    DESKTOP,
    /** A pipeline of modules. */
    CONVEYOR
  }

  /**
   * A module of a machine: one or more stations with the same roles.
   *
   * @param name the module's name, e.g. {@code chip}
   * @param stations its stations
   */
  public record Module(String name, List<Station> stations) {
    /** Copies the list. */
    public Module {
      stations = List.copyOf(stations);
    }

    /** @return the roles of its stations */
    public Set<DeviceRole<?>> roles() {
      return stations.get(0).roles();
    }
  }

  private final String id;
  private final Kind kind;
  private final CardTransport transport;
  private final List<Module> modules;

  private Machine(String id, Kind kind, CardTransport transport, List<Module> modules) {
    this.id = id;
    this.kind = kind;
    this.transport = transport;
    this.modules = List.copyOf(modules);
  }

  /**
   * @param id the machine's id
   * @return a builder for a conveyor machine
   */
  public static ConveyorBuilder conveyor(String id) {
    return new ConveyorBuilder(id);
  }

  /**
   * @param id the machine's id
   * @return a builder for a desktop machine
   */
  public static DesktopBuilder desktop(String id) {
    return new DesktopBuilder(id);
  }

  /** @return the machine's id */
  public String id() {
    return id;
  }

  /** @return its kind */
  public Kind kind() {
    return kind;
  }

  /** @return the card transport */
  public CardTransport transport() {
    return transport;
  }

  /** @return the modules in the order cards pass them (a desktop machine has one) */
  public List<Module> modules() {
    return modules;
  }

  /** @return every station of every module */
  public List<Station> stations() {
    List<Station> out = new ArrayList<>();
    modules.forEach(m -> out.addAll(m.stations()));
    return out;
  }

  /** @return the roles the machine offers, the transport's included */
  public Set<DeviceRole<?>> roles() {
    Set<DeviceRole<?>> out = new LinkedHashSet<>(transport.roles());
    modules.forEach(m -> out.addAll(m.roles()));
    return out;
  }

  /** @return every device, each once */
  public List<Device> devices() {
    Set<Device> all = new LinkedHashSet<>();
    all.add(transport);
    stations().forEach(s -> all.addAll(s.devices()));
    return List.copyOf(all);
  }

  /** Closes every device; the first failure is rethrown after all were tried. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (Device d : devices()) {
      try {
        d.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id + " "
        + modules.stream().map(m -> m.name() + (m.stations().size() > 1 ? " x" + m.stations().size() : "")).toList();
  }

  private static void checkId(String what, String id) {
    if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new ValidationException(what, "id must be letters, digits, '.', '_' or '-', was '" + id + "'");
    }
  }

  /** Builds a conveyor {@link Machine}. */
  public static final class ConveyorBuilder {
    private final String id;
    private CardTransport transport;
    private final List<Module> modules = new ArrayList<>();
    private final Set<String> names = new LinkedHashSet<>();

    private ConveyorBuilder(String id) {
      checkId("machine", id);
      this.id = id;
    }

    /**
     * @param device the machine's card transport
     * @return this
     */
    public ConveyorBuilder transport(Device device) {
      if (!(device instanceof CardTransport t)) {
        throw new ValidationException("machine " + id + " transport", device.id() + " is not a card transport");
      }
      this.transport = t;
      return this;
    }

    /**
     * A module with one station.
     *
     * @param name the module's name
     * @param devices the devices at its station
     * @return this
     */
    public ConveyorBuilder module(String name, Device... devices) {
      return add(name, List.of(new Station(id + "/" + name, List.of(devices))));
    }

    /**
     * A module with {@code n} parallel stations.
     *
     * @param name the module's name
     * @param n how many stations, 1 or more
     * @param device makes the device of station {@code i} (1-based)
     * @return this
     */
    public ConveyorBuilder stations(String name, int n, IntFunction<Device> device) {
      if (n < 1) {
        throw new ValidationException("machine " + id + " " + name, "needs at least one station, was " + n);
      }
      List<Station> st = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        st.add(new Station(id + "/" + name + "-" + i, List.of(device.apply(i))));
      }
      return add(name, st);
    }

    private ConveyorBuilder add(String name, List<Station> stations) {
      checkId("machine " + id + " module", name);
      if (!names.add(name)) {
        throw new ValidationException("machine " + id + " module " + name, "given twice");
      }
      Set<DeviceRole<?>> roles = stations.get(0).roles();
      for (Station s : stations) {
        if (s.roles().isEmpty()) {
          throw new ValidationException("station " + s.id(), "has no device");
        }
        if (!s.roles().equals(roles)) {
          throw new ValidationException("machine " + id + " module " + name, "stations must all play the same roles");
        }
      }
      modules.add(new Module(name, stations));
      return this;
    }

    /** @return the machine */
    public Machine build() {
      if (transport == null) {
        throw new ValidationException("machine " + id, "a conveyor needs a transport");
      }
      if (modules.isEmpty()) {
        throw new ValidationException("machine " + id, "a conveyor needs at least one module");
      }
      return new Machine(id, Kind.CONVEYOR, transport, modules);
    }
  }

  /** Builds a desktop {@link Machine}. */
  public static final class DesktopBuilder {
    private final String id;
    private final List<Device> devices = new ArrayList<>();

    private DesktopBuilder(String id) {
      checkId("machine", id);
      this.id = id;
    }

    /**
     * @param device a device at the desktop's position (a printer with an encoder and a contact station is
     *     one device playing several roles)
     * @return this
     */
    public DesktopBuilder device(Device device) {
      devices.add(Objects.requireNonNull(device, "device"));
      return this;
    }

    /** @return the machine */
    public Machine build() {
      CardTransport transport = null;
      for (Device d : devices) {
        if (d instanceof CardTransport t) {
          transport = t;
          break;
        }
      }
      if (transport == null) {
        throw new ValidationException("machine " + id, "a desktop machine needs a device that is a card transport");
      }
      List<Device> atPosition = new ArrayList<>(devices);
      boolean transportOnly = transport.roles().size() == 1;
      if (transportOnly) {
        atPosition.remove(transport);
      }
      if (atPosition.isEmpty()) {
        atPosition.add(transport);
      }
      return new Machine(id, Kind.DESKTOP, transport,
          List.of(new Module("position", List.of(new Station(id + "/position", atPosition)))));
    }
  }
}
