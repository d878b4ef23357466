package dev.perso.core.device;

import dev.perso.core.card.VirtualCard;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.line.LineClock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a device is opened with besides its address: the line's clock (virtual devices take their
 * operation time on it), the events listener, and, for virtual chip stations, the blank card stock (a
 * virtual card per fed card, which the card type's chip step knows how to make).
 *
 * <pre>{@code
 * DeviceContext ctx = DeviceContext.builder().clock(LineClock.virtual()).cardStock(cardType.virtualCardStock().orElseThrow()).build();
 * Device chip = Devices.open("virtual:chip?ms=6000", ctx);
 * }</pre>
 */
public final class DeviceContext {
  private static final DeviceContext DEFAULT = builder().build();

  private final LineClock clock;
  private final PersoEvents events;
  private final Function<CardTag, VirtualCard> cardStock;
  private final ConcurrentMap<Class<?>, Object> shared = new ConcurrentHashMap<>();

  private DeviceContext(Builder b) {
    this.clock = b.clock;
    this.events = b.events;
    this.cardStock = b.cardStock;
  }

  /** @return the system clock, no events, no virtual card stock */
  public static DeviceContext defaults() {
    return DEFAULT;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the clock devices take their time on */
  public LineClock clock() {
    return clock;
  }

  /** @return the listener */
  public PersoEvents events() {
    return events;
  }

  /** @return the blank virtual card for each fed card, if the job has one */
  public Optional<Function<CardTag, VirtualCard>> cardStock() {
    return Optional.ofNullable(cardStock);
  }

  /**
   * An object shared by every device opened with this context, made on first use: the virtual devices of
   * a line share their world of physical cards this way.
   *
   * @param type the object's type
   * @param create makes it the first time
   * @param <T> the type
   * @return the shared object
   */
  public <T> T shared(Class<T> type, Supplier<? extends T> create) {
    return type.cast(shared.computeIfAbsent(type, k -> Objects.requireNonNull(create.get(), "created")));
  }

  /** @return a builder with these values (and no shared objects) */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.clock = clock;
    b.events = events;
    b.cardStock = cardStock;
    return b;
  }

  /** Builds a {@link DeviceContext}. */
  public static final class Builder {
    private LineClock clock = LineClock.system();
    private PersoEvents events = PersoEvents.NONE;
    private Function<CardTag, VirtualCard> cardStock;

    private Builder() {}

    /**
     * @param clock the clock
     * @return this
     */
    public Builder clock(LineClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param events the listener
     * @return this
     */
    public Builder events(PersoEvents events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /**
     * @param stock makes the blank virtual card a virtual chip station finds on each fed card
     * @return this
     */
    public Builder cardStock(Function<CardTag, VirtualCard> stock) {
      this.cardStock = stock;
      return this;
    }

    /** @return the context */
    public DeviceContext build() {
      return new DeviceContext(this);
    }
  }
}
