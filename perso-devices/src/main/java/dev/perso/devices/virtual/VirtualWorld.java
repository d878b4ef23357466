package dev.perso.devices.virtual;

import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The physical cards of every virtual device opened with one {@link DeviceContext}: a transport feeds a
 * card into it, encoders, chip stations, embossers, printers and engravers work on that card, and the
 * transport delivers it to the output hopper or the reject bin. Tests and the demo check each finished
 * card as if held in hand, and that no card was issued twice. Thread-safe.
 *
 * <pre>{@code
 * DeviceContext ctx = DeviceContext.builder().clock(LineClock.virtual()).cardStock(tag -> blankCard()).build();
 * CardTransport t = (CardTransport) Devices.open("virtual:transport", ctx);
 * // ... run the line ...
 * VirtualWorld world = VirtualWorld.of(ctx);
 * world.outputHopper().forEach(card -> check(card));
 * assertThat(world.issuedByRecord().values()).allMatch(n -> n == 1);
 * }</pre>
 */
public final class VirtualWorld {
  private final LinkedHashMap<CardTag, Body> cards = new LinkedHashMap<>();
  private final List<Body> output = new ArrayList<>();
  private final List<Body> rejected = new ArrayList<>();
  private final Map<CardTag, Integer> issued = new HashMap<>();
  private final Map<String, Integer> issuedByRecord = new TreeMap<>();
  private final Map<String, Integer> opened = new HashMap<>();
  private final Map<String, java.util.ArrayDeque<PhysicalCard>> loaded = new HashMap<>();
  /** Transports whose loaded cards are their whole hopper (no blanks after them). */
  private final java.util.Set<String> wholeHopper = new java.util.HashSet<>();
  private final int keepFinished;
  private long issuedCount;
  private long rejectedCount;

  /** An empty world that keeps every finished card; devices share one through {@link #of(DeviceContext)}. */
  public VirtualWorld() {
    this.keepFinished = -1;
  }

  /**
   * A world for long runs (a million cards): it keeps only the newest {@code keepFinished} finished cards
   * and counts the rest, so memory stays flat. {@link #issuedByRecord()} and {@link #timesIssued} then
   * only know the cards kept; the journal's reconciliation is the check that counts. Put it in the
   * context before opening devices: {@code ctx.shared(VirtualWorld.class, () -> new VirtualWorld(100))}.
   *
   * @param keepFinished finished cards to keep, 0 or more
   */
  public VirtualWorld(int keepFinished) {
    if (keepFinished < 0) {
      throw new ValidationException("keepFinished", "must be 0 or more");
    }
    this.keepFinished = keepFinished;
  }

  /** @return cards that reached an output hopper, all of them, kept or not */
  public synchronized long issuedCount() {
    return issuedCount;
  }

  /** @return cards dropped in a reject bin, all of them, kept or not */
  public synchronized long rejectedCount() {
    return rejectedCount;
  }

  /**
   * @param context the context the virtual devices were opened with
   * @return the world they share, made on first use
   */
  public static VirtualWorld of(DeviceContext context) {
    return context.shared(VirtualWorld.class, VirtualWorld::new);
  }

  /**
   * Puts a card inside by hand, as if at every position at once: for a device used without a transport.
   *
   * @param card the card's tag
   * @param chip its chip, or null for a card stock without one
   * @throws ValidationException if a card with this tag is already in the world
   */
  public void place(CardTag card, VirtualCard chip) {
    enter("hand", card, chip);
  }

  /**
   * Loads cards finished earlier (an earlier stage's output hopper, possibly in another world) into a
   * transport's input hopper: the transport feeds them in this order, each under the tag the controller
   * gives it, before any blank of the card stock. Each keeps what it carries: its chip (with its
   * personalized state), stripe, embossing, indenting, printing and engraving.
   *
   * <pre>{@code
   * List<PhysicalCard> fromChipStage = new ArrayList<>(chipWorld.outputHopper());
   * Collections.shuffle(fromChipStage, random);
   * finishWorld.loadHopper("mx-2-transport", fromChipStage);
   * }</pre>
   *
   * @param transport the transport's id
   * @param finished the cards, in feed order
   */
  public synchronized void loadHopper(String transport, List<PhysicalCard> finished) {
    Objects.requireNonNull(transport, "transport");
    loaded.computeIfAbsent(transport, k -> new java.util.ArrayDeque<>()).addAll(List.copyOf(finished));
  }

  /**
   * Loads cards finished earlier as the whole of a transport's input hopper, as an operator does for a
   * later stage: the transport feeds them in this order and no blank after them. Once they are all fed, a
   * feed finds no card ({@link DeviceFault#NO_CARD}): the machine takes no more cards and the records left
   * stay QUEUED for their cards, instead of a blank of the card stock standing in for a lost card.
   *
   * <pre>{@code
   * finishWorld.loadWholeHopper("desk-1", fromChipStage);   // 18 cards for 20 records: 2 records wait
   * }</pre>
   *
   * @param transport the transport's id
   * @param finished the cards, in feed order
   */
  public synchronized void loadWholeHopper(String transport, List<PhysicalCard> finished) {
    loadHopper(transport, finished);
    wholeHopper.add(transport);
  }

  /** @return true when the transport's hopper was loaded whole and every loaded card has been fed */
  synchronized boolean hopperUsedUp(String transport) {
    return wholeHopper.contains(transport) && loadedLeft(transport) == 0;
  }

  /**
   * @param transport a transport's id
   * @return how many loaded cards it has not fed yet
   */
  public synchronized int loadedLeft(String transport) {
    java.util.ArrayDeque<PhysicalCard> q = loaded.get(transport);
    return q == null ? 0 : q.size();
  }

  /** @return every card inside a machine, in the order they entered */
  public synchronized List<PhysicalCard> inside() {
    List<PhysicalCard> out = new ArrayList<>();
    for (Body b : cards.values()) {
      if (b.location == PhysicalCard.Location.INSIDE) {
        out.add(b.snapshot());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** @return the cards delivered to output hoppers (issued), in the order they arrived */
  public synchronized List<PhysicalCard> outputHopper() {
    return output.stream().map(Body::snapshot).toList();
  }

  /** @return the cards dropped in reject bins, in the order they arrived */
  public synchronized List<PhysicalCard> rejectBin() {
    return rejected.stream().map(Body::snapshot).toList();
  }

  /**
   * @param card a tag
   * @return the card wherever it is, if the world has it
   */
  public synchronized Optional<PhysicalCard> card(CardTag card) {
    Body b = cards.get(card);
    return b == null ? Optional.empty() : Optional.of(b.snapshot());
  }

  /**
   * @param card a tag
   * @return how many times a card with this tag reached an output hopper (0 or 1 when all is well)
   */
  public synchronized int timesIssued(CardTag card) {
    return issued.getOrDefault(card, 0);
  }

  /** @return for each record id, how many of its cards reached an output hopper (1 each when all is well) */
  public synchronized Map<String, Integer> issuedByRecord() {
    return Map.copyOf(issuedByRecord);
  }

  // ---- for the devices of this package

  /** @return a per-world index for a device opened from {@code address}: 1, 2, ... */
  synchronized int nextIndex(String address) {
    return opened.merge(address, 1, Integer::sum);
  }

  synchronized void enter(String machine, CardTag card, VirtualCard chip) {
    if (cards.containsKey(card)) {
      throw new ValidationException("card", card + " is already in the machines or was finished; a new card needs a new serial");
    }
    cards.put(card, new Body(card, machine, chip));
  }

  /**
   * Feeds the next loaded card of a transport under a new tag, or returns false when it has none left.
   */
  synchronized boolean enterLoaded(String machine, CardTag card) {
    java.util.ArrayDeque<PhysicalCard> q = loaded.get(machine);
    if (q == null || q.isEmpty()) {
      return false;
    }
    if (cards.containsKey(card)) {
      throw new ValidationException("card", card + " is already in the machines or was finished; a new card needs a new serial");
    }
    cards.put(card, Body.from(card, machine, q.poll()));
    return true;
  }

  /** Names a card inside with the record a later stage identified it as (the same serial). */
  synchronized void retag(String device, CardTag card) {
    with(device, card, x -> x).tag = card;   // tags match by serial: the card keeps its place
  }

  /** Runs {@code action} on the card if it is inside, else throws NO_CARD naming {@code device}. */
  synchronized <T> T with(String device, CardTag card, Function<Body, T> action) {
    Body b = cards.get(card);
    if (b == null || b.location != PhysicalCard.Location.INSIDE) {
      throw new DeviceException(device, DeviceFault.NO_CARD, card + " is not inside");
    }
    return action.apply(b);
  }

  void update(String device, CardTag card, Consumer<Body> action) {
    with(device, card, b -> {
      action.accept(b);
      return null;
    });
  }

  synchronized void finish(String device, CardTag card, PhysicalCard.Location where) {
    Body b = with(device, card, x -> x);
    b.location = where;
    if (where == PhysicalCard.Location.OUTPUT_HOPPER) {
      issuedCount++;
      output.add(b);
      issued.merge(b.tag, 1, Integer::sum);
      issuedByRecord.merge(b.tag.recordId(), 1, Integer::sum);
    } else {
      rejectedCount++;
      rejected.add(b);
    }
    if (keepFinished >= 0) {
      forgetBeyond(output);
      forgetBeyond(rejected);
    }
  }

  private void forgetBeyond(List<Body> finished) {
    while (finished.size() > keepFinished) {
      Body old = finished.remove(0);
      cards.remove(old.tag);
      issued.remove(old.tag);
      issuedByRecord.remove(old.tag.recordId());
    }
  }
}
