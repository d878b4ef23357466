package dev.perso.devices.virtual;

import dev.perso.core.ValidationException;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceAddress;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceProvider;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Opens virtual devices ({@code virtual:<kind>?<parameters>}) that take their time on the context's
 * {@link dev.perso.core.line.LineClock}, fail on cue, and leave every card they work on in the context's
 * {@link VirtualWorld}. Registered with {@link java.util.ServiceLoader}; {@link #open(String, DeviceContext)}
 * opens one directly. Times are milliseconds (default 0); {@code ...At} parameters are 1-based operation
 * numbers, comma-separated ({@code jamAt=5,40}); an unknown parameter is a
 * {@link ValidationException} listing the allowed ones. Every device also takes {@code id} (default: the
 * address followed by {@code #n}, n counting the devices opened from that address in the world, so eight
 * stations opened from one template get eight ids). An operator fault (JAM, HOPPER_EMPTY,
 * REJECT_BIN_FULL, RIBBON_OUT, COVER_OPEN) is thrown once, the device reports FAULTED until the operator's
 * time passed on the clock, then READY.
 *
 * <ul>
 *   <li>{@code virtual:transport}: {@code feedMs, moveMs, ejectMs, rejectMs} (default ejectMs) per
 *       operation; {@code hopper} blanks in the input hopper (0: endless), HOPPER_EMPTY when used up, refilled
 *       after {@code refillMs}; {@code jamAt} feeds that JAM (the blank is lost), cleared after {@code clearMs};
 *       {@code rejectBinCapacity} (0: endless), REJECT_BIN_FULL, emptied after {@code emptyMs}; {@code state}
 *       a file where the transport logs its cards (inside, issued, rejected) and which it reloads when opened
 *       again, so that a controller killed with cards inside finds them.</li>
 *   <li>{@code virtual:magstripe}: {@code ms} per write, {@code readMs} per read, {@code eraseMs} (default
 *       ms); {@code writeErrorAt} writes that give WRITE_ERROR; {@code readErrorAt} reads and
 *       {@code readErrorRate} (with {@code seed}) that return a corrupted track.</li>
 *   <li>{@code virtual:chip}: {@code ms} per card, taken when the card is powered; {@code contactFailAt} powers
 *       and {@code contactFailRate} (with {@code seed}) that give CHIP_CONTACT_ERROR and leave the station
 *       FAULTED until it is closed. A card whose stock has no chip gives CHIP_CONTACT_ERROR.</li>
 *   <li>{@code virtual:embosser}, {@code virtual:indenter}, {@code virtual:printer}: {@code ms} per card;
 *       {@code ribbonOutAfter} cards then RIBBON_OUT until {@code refillMs} (default fixMs) passed;
 *       {@code coverOpenAt} operations that give COVER_OPEN until {@code fixMs} passed.</li>
 *   <li>{@code virtual:laser}: {@code ms}, {@code coverOpenAt}, {@code fixMs}.</li>
 *   <li>{@code virtual:scanner}: a code scanner ({@link dev.perso.core.device.CodeScanner}) that draws the card's
 *       side from what the virtual devices did to it (as {@link dev.perso.devices.surface.CardRenderer} previews
 *       it) and decodes the codes in that image with ZXing: {@code ms} per scan, {@code dpi} (default 300),
 *       {@code layout} (a layout file or shipped example: the card stock and laser templates to draw; default a
 *       plain white card), {@code missAt} scans that decode nothing (glare).</li>
 *   <li>{@code virtual:desktop}: a desktop printer with one position (transport, printer, stripe encoder,
 *       chip station, embosser and indenter in one device): the transport's parameters, {@code stripeMs} with the
 *       encoder's others, {@code chipMs} with the chip station's others, {@code printMs} with
 *       {@code ribbonOutAfter, refillMs, coverOpenAt, fixMs}, {@code embossMs} and {@code indentMs}.</li>
 * </ul>
 *
 * <pre>{@code
 * DeviceContext ctx = DeviceContext.builder().clock(LineClock.virtual()).cardStock(tag -> blank()).build();
 * ChipStation chip = (ChipStation) Devices.open("virtual:chip?ms=6000&contactFailAt=5", ctx);
 * }</pre>
 */
public final class VirtualDeviceProvider implements DeviceProvider {
  private static final Set<String> COMMON = Set.of("id");
  private static final Set<String> SURFACE = Set.of("ms", "ribbonOutAfter", "refillMs", "coverOpenAt", "fixMs");

  private record Kind(Set<String> params, BiFunction<DeviceCore, Params, Device> make) {}

  private static final Map<String, Kind> KINDS = Map.of(
      "transport", new Kind(TransportLogic.PARAMS, VirtualTransport::new),
      "magstripe", new Kind(union(Set.of("ms"), StripeLogic.FAULT_PARAMS), VirtualEncoder::new),
      "chip", new Kind(union(Set.of("ms"), ChipLogic.FAULT_PARAMS), VirtualChipStation::new),
      "embosser", new Kind(SURFACE, VirtualEmbosser::new),
      "indenter", new Kind(SURFACE, VirtualIndenter::new),
      "printer", new Kind(SURFACE, VirtualPrinter::new),
      "laser", new Kind(Set.of("ms", "coverOpenAt", "fixMs"), VirtualLaser::new),
      "scanner", new Kind(VirtualScanner.PARAMS, VirtualScanner::new),
      "desktop", new Kind(union(TransportLogic.PARAMS, StripeLogic.FAULT_PARAMS, ChipLogic.FAULT_PARAMS,
          Set.of("stripeMs", "chipMs", "printMs", "embossMs", "indentMs", "ribbonOutAfter", "coverOpenAt", "fixMs")),
          VirtualDesktop::new));

  /** Used by {@link java.util.ServiceLoader}. */
  public VirtualDeviceProvider() {}

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> out = new HashSet<>();
    for (Set<String> s : sets) {
      out.addAll(s);
    }
    return Set.copyOf(out);
  }

  @Override
  public Set<String> schemes() {
    return Set.of("virtual");
  }

  /**
   * @param address e.g. {@code virtual:embosser?ms=900}
   * @param context the clock, the card stock and the world the device shares with others
   * @return the open device
   * @throws ValidationException naming the kind or parameter that is wrong
   */
  public static Device open(String address, DeviceContext context) {
    return new VirtualDeviceProvider().open(DeviceAddress.parse(address), context);
  }

  @Override
  public Device open(DeviceAddress address, DeviceContext context) {
    if (!"virtual".equals(address.scheme())) {
      throw new ValidationException("device", "'" + address.text() + "' is not a virtual: address");
    }
    Kind kind = KINDS.get(address.path());
    if (kind == null) {
      throw new ValidationException("device " + address.text(), "unknown virtual device '" + address.path()
          + "' (known: " + new TreeSet<>(KINDS.keySet()) + ")");
    }
    Params p = new Params(address, union(COMMON, kind.params()));
    VirtualWorld world = VirtualWorld.of(context);
    return kind.make().apply(new DeviceCore(p.id(world), context, world), p);
  }
}
