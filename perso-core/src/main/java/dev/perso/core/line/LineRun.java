package dev.perso.core.line;

import dev.perso.core.CardIdentificationException;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.Device;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.JobInfo;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.JournalException;
import dev.perso.core.journal.OpenCard;
import dev.perso.core.journal.RecordState;
import dev.perso.core.journal.RecordTakenException;
import dev.perso.core.journal.RecordStatus;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import dev.perso.core.step.PersoStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a job on a line: recovery, the dispatcher, and per machine a feeder thread and a pool of
 * card workers that carry each card through the modules in order. Every wait goes through the line's
 * clock, so a virtual clock can tell when the whole line waits and jump ahead.
 */
final class LineRun {
  private static final Logger LOG = LoggerFactory.getLogger(LineRun.class);
  private static final int READ_WINDOW = 64;
  /** How many records the engine reads ahead to find the record an identified card belongs to. */
  private static final int READ_AHEAD = 4096;
  private static final Duration OPERATOR_POLL = Duration.ofSeconds(1);

  private final Line line;
  private final Job job;
  private final PersoEvents events;
  private final LineClock clock;
  private final ReentrantLock lock;
  private final Journal journal;
  private final CardType type;
  private final ReentrantLock readLock = new ReentrantLock();

  // guarded by lock
  private final ArrayDeque<CardRecord> ready = new ArrayDeque<>();
  private final ArrayDeque<CardRecord> remakes = new ArrayDeque<>();
  private boolean sourceExhausted;
  private int inFlight;
  private volatile RuntimeException fatal;

  /** Records with a card of this run inside a machine. */
  private final Set<String> fedHere = ConcurrentHashMap.newKeySet();
  /** The cards of this run inside a machine, by the record they are personalized for (guarded by lock). */
  private final Map<String, CardContext> inflight = new HashMap<>();
  /** Records a feeder took and has not begun to feed yet: an identified card may take one (guarded by lock). */
  private final Map<String, CardRecord> heldByFeeder = new HashMap<>();
  /** Records a feeder is journaling and feeding a card for, until the card is in {@link #inflight} (guarded by lock). */
  private final Set<String> feedingNow = new java.util.HashSet<>();
  private final AtomicLong recordsRead = new AtomicLong();
  private final AtomicLong alreadyFinished = new AtomicLong();
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong rejectedCards = new AtomicLong();
  private final AtomicLong remade = new AtomicLong();
  private final AtomicLong recordsRejected = new AtomicLong();
  private final AtomicLong purged = new AtomicLong();
  private final AtomicLong finishedRecords = new AtomicLong();

  LineRun(Line line, Job job, PersoEvents events) {
    this.line = line;
    this.job = job;
    this.events = events;
    this.clock = line.clock();
    this.lock = clock.lock;
    this.journal = job.journal();
    this.type = job.cardType();
  }

  JobReport run() {
    clock.enter();
    try {
      return runAsLineThread();
    } finally {
      clock.leave();
    }
  }

  private JobReport runAsLineThread() {
    List<MachineRun> runs = new ArrayList<>();
    List<String> unable = new ArrayList<>();
    for (Machine m : line.machines()) {
      List<List<PersoStep>> plan = plan(m, type);
      if (plan == null) {
        unable.add(m.id());
      } else {
        runs.add(new MachineRun(m, plan));
      }
    }
    if (runs.isEmpty()) {
      throw new ValidationException("line " + line.name(), "no machine can run card type " + type.name()
          + " (it needs " + type.roles() + "; machines " + unable + " lack a role or have them in another order)");
    }
    Instant started = clock.now();
    JobInfo info = journal.begin(job.id(), type.stageName(), type.name(), job.records().name(), started);
    recover();
    List<Thread> feeders = new ArrayList<>();
    for (MachineRun mr : runs) {
      mr.startWorkers();
      feeders.add(clock.start("feeder " + mr.machine.id(), mr::feed));
    }
    for (Thread t : feeders) {
      clock.join(t);
    }
    for (MachineRun mr : runs) {
      mr.stopWorkers();
    }
    Instant ended = clock.now();
    lock.lock();
    try {
      if (fatal != null) {
        throw fatal;
      }
    } finally {
      lock.unlock();
    }
    journal.end(ended);
    Map<String, JobReport.MachineCounts> byMachine = new LinkedHashMap<>();
    for (MachineRun mr : runs) {
      byMachine.put(mr.machine.id(), new JobReport.MachineCounts(mr.issued.get(), mr.rejected.get()));
    }
    return new JobReport(job.id(), info.resumed(), started, ended, recordsRead.get(), alreadyFinished.get(),
        issued.get(), rejectedCards.get(), remade.get(), recordsRejected.get(), purged.get(), byMachine,
        journal.reconcile());
  }

  /**
   * Assigns each step, in the card type's order, to the first module at or after the previous step's
   * module whose stations play its roles (the transport's roles come with every module).
   *
   * @return the steps per module, or null if the machine cannot run the card type
   */
  static List<List<PersoStep>> plan(Machine m, CardType type) {
    List<List<PersoStep>> plan = new ArrayList<>();
    m.modules().forEach(x -> plan.add(new ArrayList<>()));
    int at = 0;
    for (PersoStep step : type.steps()) {
      int found = -1;
      for (int i = at; i < m.modules().size(); i++) {
        var roles = new java.util.HashSet<>(m.modules().get(i).roles());
        roles.addAll(m.transport().roles());
        if (roles.containsAll(step.roles())) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        return null;
      }
      plan.get(found).add(step);
      at = found;
    }
    return plan;
  }

  // ---------------------------------------------------------------- recovery

  private void recover() {
    List<OpenCard> open = journal.recover();
    Map<Long, OpenCard> bySerial = new HashMap<>();
    open.forEach(c -> bySerial.put(c.serial(), c));
    for (Machine m : line.machines()) {
      CardTransport t = m.transport();
      for (CardTag card : t.cardsInside()) {
        OpenCard oc = bySerial.remove(card.serial());
        if (oc != null) {
          // The controller's stop spoiled the card, not the record's data: a purged card's record is always
          // remade (the remake limit is for cards the record's own data or card stock made fail).
          journal.purged(card.serial(), true, clock.now());
          withOperator(null, t, () -> t.reject(card));
          purged.incrementAndGet();
          events.cardPurged(card, m.id());
          LOG.info("{}: {} purged after a restart, record remade", m.id(), card);
        } else {
          RecordState state = journal.record(card.recordId()).map(RecordStatus::state).orElse(null);
          if (state == RecordState.DONE && issuedCard(card)) {
            withOperator(null, t, () -> t.eject(card));
            LOG.info("{}: {} was journaled issued; ejected after the restart", m.id(), card);
          } else {
            withOperator(null, t, () -> t.reject(card));
            LOG.info("{}: {} was journaled {}; dropped in the reject bin after the restart", m.id(), card, state);
          }
        }
      }
    }
    for (OpenCard oc : bySerial.values()) {
      Machine m = line.machines().stream().filter(x -> x.id().equals(oc.machine())).findFirst().orElse(null);
      if (m != null && m.transport().knowsCardsAfterRestart()) {
        journal.notFed(oc.serial());
        LOG.info("card #{} (record {}) was journaled as fed but no machine has it: never fed", oc.serial(),
            oc.recordId());
      } else {
        // The transport cannot say whether the card is inside: it counts as purged, its record is remade,
        // and the operator empties the machine into the reject bin.
        journal.purged(oc.serial(), true, clock.now());
        purged.incrementAndGet();
        CardTag card = new CardTag(oc.serial(), oc.recordId());
        events.cardPurged(card, oc.machine());
        LOG.warn("{}: {} may still be inside ({}'s transport does not know its cards after a restart): counted "
            + "as purged and its record remade; empty the machine into the reject bin", oc.machine(), card,
            oc.machine());
      }
    }
  }

  /**
   * Whether a card found inside after a restart is its DONE record's issued card (journaled, then the stop
   * came before the eject), noting that it leaves. A card journaled rejected whose record was remade and
   * issued since, by another controller of a shared journal, is not: it goes to the reject bin.
   */
  private boolean issuedCard(CardTag card) {
    try {
      journal.ejectedAfterRestart(card.serial());
      return true;
    } catch (JournalException e) {
      if (e.getCause() != null) {
        throw e;   // the store failed: not an answer about the card
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- identification

  /**
   * An identification step found that {@code c}'s card is record {@code to}'s card. If another card of this
   * run, not started yet, was fed for {@code to}, the two cards exchange records; if {@code to} is waiting
   * (read ahead if need be), the card becomes its card and the record it was fed for waits first in line
   * for its own card. Anything else is refused and the card rejected.
   *
   * @return the card's record from now on
   */
  private CardRecord reassign(CardContext c, String to) {
    CardRecord from = c.record();
    if (from.id().equals(to)) {
      return from;
    }
    String belongs = "the card belongs to record " + to;
    if (c.everWritten()) {
      throw new CardIdentificationException(from.id(), belongs + " but was already written as this record");
    }
    while (true) {
      lock.lock();
      try {
        CardContext other = inflight.get(to);
        if (other != null) {
          if (other.pinned) {
            throw new CardIdentificationException(from.id(), belongs + ", which another card is being"
                + " personalized for");
          }
          journal.exchanged(c.card().serial(), other.card().serial(), clock.now());
          CardRecord target = other.record();
          other.record(from);
          inflight.put(from.id(), other);
          inflight.put(to, c);
          LOG.info("{} is record {}'s card; {} takes record {}", c.card(), to, other.card(), from.id());
          return target;
        }
        if (feedingNow.contains(to)) {
          // a feeder is feeding a card for the record: wait until the card is in the machine, then exchange
          clock.await(() -> fatal != null || !feedingNow.contains(to));
          checkFatal();
          continue;
        }
        CardRecord target = heldByFeeder.remove(to);
        if (target == null) {
          target = takeQueued(to);
        }
        if (target != null) {
          try {
            journal.reassigned(c.card().serial(), to, clock.now());
          } catch (RecordTakenException e) {
            throw new CardIdentificationException(from.id(), belongs + ", which another controller holds");
          } catch (JournalException e) {
            ready.addFirst(target);
            if (e.getCause() != null) {
              throw e;   // the store failed: not an answer about the card
            }
            throw new CardIdentificationException(from.id(), belongs + ": " + e.getMessage());
          }
          inflight.remove(from.id());
          inflight.put(to, c);
          fedHere.remove(from.id());
          fedHere.add(to);
          remakes.addFirst(from);
          clock.signalAll();
          LOG.info("{} is record {}'s card; record {} waits for its own", c.card(), to, from.id());
          return target;
        }
        if (sourceExhausted || ready.size() >= READ_AHEAD) {
          String state = journal.record(to).map(r -> "which is " + r.state() + " in this stage")
              .orElse(sourceExhausted ? "which is not in this job's input"
                  : "which is not among the next " + READ_AHEAD + " records of the input");
          throw new CardIdentificationException(from.id(), belongs + ", " + state);
        }
      } finally {
        lock.unlock();
      }
      refill(true);
    }
  }

  /** A record a feeder takes; call holding the lock. */
  private CardRecord held(CardRecord r) {
    heldByFeeder.put(r.id(), r);
    return r;
  }

  /** Takes a waiting record out of the queues; call holding the lock. */
  private CardRecord takeQueued(String id) {
    for (ArrayDeque<CardRecord> q : List.of(remakes, ready)) {
      for (var it = q.iterator(); it.hasNext(); ) {
        CardRecord r = it.next();
        if (r.id().equals(id)) {
          it.remove();
          return r;
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- dispatcher

  /** @return the next record for a machine, or null when the job has no more for anyone */
  private CardRecord nextRecord(MachineRun mr) {
    while (true) {
      lock.lock();
      try {
        if (fatal != null || mr.down) {
          return null;
        }
        if (!remakes.isEmpty()) {
          return held(remakes.poll());
        }
        if (!ready.isEmpty()) {
          return held(ready.poll());
        }
        if (sourceExhausted) {
          if (inFlight == 0) {
            return null;
          }
          clock.await(() -> fatal != null || mr.down || !remakes.isEmpty() || inFlight == 0);
          continue;
        }
      } finally {
        lock.unlock();
      }
      refill();
    }
  }

  private void refill() {
    refill(false);
  }

  /** Reads the next window of records; {@code ahead}: even if records are ready (to find one). */
  private void refill(boolean ahead) {
    readLock.lock();
    try {
      lock.lock();
      try {
        if (!ahead && !ready.isEmpty() || sourceExhausted) {
          return;
        }
      } finally {
        lock.unlock();
      }
      RecordSource source = job.records();
      List<CardRecord> window = new ArrayList<>(READ_WINDOW);
      boolean more;
      while ((more = source.hasNext()) && window.size() < READ_WINDOW) {
        RecordInput in = source.next();
        recordsRead.incrementAndGet();
        if (in instanceof RecordInput.Rejected r) {
          rejectOnRead(r.cardId(), r.location(), r.reason());
        } else if (in instanceof RecordInput.Read r) {
          try {
            type.validate(r.record());
            window.add(r.record());
          } catch (PersoException e) {
            rejectOnRead(r.record().id(), r.location(), e);
          }
        }
      }
      List<CardRecord> accepted = new ArrayList<>(window.size());
      if (!window.isEmpty()) {
        Map<String, RecordStatus> known = journal.records(window.stream().map(CardRecord::id).toList());
        Map<String, String> toQueue = new LinkedHashMap<>();
        for (CardRecord r : window) {
          RecordStatus s = known.get(r.id());
          if (s == null) {
            if (toQueue.putIfAbsent(r.id(), r.location()) == null) {
              accepted.add(r);
            } else {
              duplicate(r);
            }
          } else if (s.state() == RecordState.QUEUED) {
            accepted.add(r);
          } else if (s.state().isFinal()) {
            alreadyFinished.incrementAndGet();
            if (!s.location().isEmpty() && !s.location().equals(r.location())) {
              // a resume reads the same places again; another place with the same id is a repeat in the input
              LOG.warn("{}: record {} was already {} from {}; this repeat is skipped", r.location(), r.id(),
                  s.state(), s.location());
            }
          } else if (fedHere.contains(r.id())) {
            duplicate(r);
          } else {
            // a shared journal: another controller has its card in a machine (or had, until it restarts)
            LOG.debug("{}: record {} is {} on another controller; skipped here", r.location(), r.id(), s.state());
          }
        }
        if (!toQueue.isEmpty()) {
          journal.queued(toQueue);
        }
      }
      lock.lock();
      try {
        ready.addAll(accepted);
        if (!more) {
          sourceExhausted = true;
        }
        clock.signalAll();
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      readLock.unlock();
    }
  }

  private void duplicate(CardRecord r) {
    LOG.warn("{}: record {} appears again in the input while it is in progress; the repeat is skipped",
        r.location(), r.id());
  }

  private void rejectOnRead(String id, String location, PersoException reason) {
    journal.rejectedOnRead(id, location, reason.getClass().getSimpleName(), reason.getMessage());
    recordsRejected.incrementAndGet();
    long done = finishedRecords.incrementAndGet();
    events.recordRejected(id, location, reason);
    events.progress(done, job.expectedRecords());
  }

  private void fail(RuntimeException e) {
    lock.lock();
    try {
      if (fatal == null) {
        fatal = e;
        LOG.error("line stopped: {}", e.getMessage());
      }
      clock.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Runs an operation, pausing the machine (if any) and retrying while a device needs a person. */
  private void withOperator(MachineRun mr, Device device, Runnable op) {
    while (true) {
      try {
        op.run();
        return;
      } catch (DeviceException e) {
        if (!e.fault().needsOperator()) {
          throw e;
        }
        waitForOperator(mr, device, e);
      }
    }
  }

  private void waitForOperator(MachineRun mr, Device device, DeviceException e) {
    boolean first = false;
    if (mr != null) {
      lock.lock();
      try {
        first = mr.pausedBy++ == 0;
      } finally {
        lock.unlock();
      }
    }
    if (first) {
      events.machinePaused(mr.machine.id(), e);
    }
    events.deviceStatus(device.id(), device.status());
    LOG.warn("{} needs a person: {}", device.id(), e.getMessage());
    while (!device.status().isReady()) {
      lock.lock();
      try {
        if (fatal != null) {
          throw fatal;
        }
      } finally {
        lock.unlock();
      }
      clock.sleep(OPERATOR_POLL);
    }
    events.deviceStatus(device.id(), device.status());
    if (mr != null) {
      boolean last;
      lock.lock();
      try {
        last = --mr.pausedBy == 0;
        clock.signalAll();
      } finally {
        lock.unlock();
      }
      if (last) {
        events.machineResumed(mr.machine.id());
      }
    }
  }

  // ---------------------------------------------------------------- machines

  /** Thrown inside a card worker when the line stops: the card stays where it is. */
  private static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort() {
      super(null, null, false, false);
    }
  }

  private final class ModuleState {
    final Machine.Module module;
    final List<PersoStep> steps;
    final ArrayDeque<Station> free = new ArrayDeque<>();
    final java.util.Set<Station> online = new java.util.HashSet<>();
    final TreeSet<Long> pending = new TreeSet<>();

    ModuleState(Machine.Module module, List<PersoStep> steps) {
      this.module = module;
      this.steps = steps;
      free.addAll(module.stations());
      online.addAll(module.stations());
    }
  }

  /** A fed card: its context (whose record an identification may change) and its place in feed order. */
  private record Fed(CardContext ctx, long seq) {
    CardTag card() {
      return ctx.card();
    }
  }

  private final class MachineRun {
    final Machine machine;
    final CardTransport transport;
    final ModuleState[] modules;
    final TreeSet<Long> exitPending = new TreeSet<>();
    final ArrayDeque<Fed> fedQueue = new ArrayDeque<>();
    final ArrayDeque<Object> idle = new ArrayDeque<>();   // workers waiting for a card, the next to take one first
    final int capacity;
    final String feederStation;
    final List<Thread> workers = new ArrayList<>();
    final AtomicLong issued = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    // guarded by lock
    long nextSeq;
    int inMachine;
    int pausedBy;
    boolean down;
    boolean feederDone;
    /** The feeder's card is in {@link #inflight} (the feeder thread's own). */
    private boolean handedOver;

    MachineRun(Machine machine, List<List<PersoStep>> plan) {
      this.machine = machine;
      this.transport = machine.transport();
      this.modules = new ModuleState[machine.modules().size()];
      int stations = 0;
      for (int i = 0; i < modules.length; i++) {
        modules[i] = new ModuleState(machine.modules().get(i), plan.get(i));
        stations += modules[i].module.stations().size();
      }
      this.capacity = machine.kind() == Machine.Kind.DESKTOP ? 1 : stations + 1;
      this.feederStation = machine.id() + "/feeder";
    }

    void startWorkers() {
      for (int i = 0; i < capacity; i++) {
        workers.add(clock.start("card worker " + machine.id() + "#" + (i + 1), this::work));
      }
    }

    void stopWorkers() {
      lock.lock();
      try {
        feederDone = true;
        clock.signalAll();
      } finally {
        lock.unlock();
      }
      for (Thread t : workers) {
        clock.join(t);
      }
    }

    /** The feeder: takes records, journals and feeds a card for each, hands it to the workers. */
    void feed() {
      try {
        while (true) {
          CardRecord record = nextRecord(this);
          if (record == null) {
            break;
          }
          lock.lock();
          try {
            clock.await(() -> fatal != null || down || pausedBy == 0 && inMachine < capacity);
            if (heldByFeeder.remove(record.id()) == null) {
              continue;   // an identified card took the record: it needs no card of its own now
            }
            if (fatal != null || down) {
              remakes.addFirst(record);
              clock.signalAll();
              break;
            }
            feedingNow.add(record.id());
            inMachine++;
            inFlight++;
          } finally {
            lock.unlock();
          }
          handedOver = false;
          try {
            feedOne(record);
          } catch (RuntimeException e) {
            giveBackSlot(null, false);
            throw e;
          } finally {
            lock.lock();
            try {
              if (!handedOver) {
                feedingNow.remove(record.id());
              }
              clock.signalAll();
            } finally {
              lock.unlock();
            }
          }
        }
        // wait for this machine's cards to leave before the feeder ends
        lock.lock();
        try {
          clock.await(() -> inMachine == 0 || fatal != null);
        } finally {
          lock.unlock();
        }
      } catch (Abort e) {
        // the line stopped
      } catch (RuntimeException e) {
        fail(e);
      } finally {
        lock.lock();
        try {
          feederDone = true;
          clock.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }

    /**
     * Gives back the slot the feeder took for a record that did not become a card in the machine.
     *
     * @param requeue the record to dispatch again first, or null
     * @param machineDown whether this machine takes no more cards
     */
    private void giveBackSlot(CardRecord requeue, boolean machineDown) {
      lock.lock();
      try {
        if (machineDown) {
          down = true;
        }
        if (requeue != null) {
          remakes.addFirst(requeue);
        }
        inMachine--;
        inFlight--;
        clock.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Journals and feeds a card for {@code record} and hands it to the workers (or puts the record back). */
    private void feedOne(CardRecord record) {
      long serial;
      try {
        serial = journal.cardFed(record.id(), machine.id(), feederStation, clock.now());
      } catch (RecordTakenException e) {
        // a shared journal: another controller has this record; it is that controller's work
        LOG.debug("{}: {}", machine.id(), e.getMessage());
        giveBackSlot(null, false);
        return;
      } catch (JournalException e) {
        RecordState s = journal.record(record.id()).map(RecordStatus::state).orElse(null);
        if (s != null && s != RecordState.QUEUED) {
          duplicate(record);
          giveBackSlot(null, false);
          return;
        }
        throw e;
      }
      CardTag card = new CardTag(serial, record.id());
      CardContext ctx = new CardContext(record, card, machine.id(), events, clock, transport);
      ctx.reassigner(LineRun.this::reassign);
      fedHere.add(record.id());
      lock.lock();
      try {
        inflight.put(record.id(), ctx);
        feedingNow.remove(record.id());
        handedOver = true;
        clock.signalAll();
      } finally {
        lock.unlock();
      }
      events.cardFed(card, machine.id());
      try {
        withOperator(this, transport, () -> transport.feed(card));
      } catch (DeviceException e) {
        // the transport could not take a card: none was fed; the record goes back, the machine stops
        CardRecord back;
        lock.lock();
        try {
          ctx.pinned = true;
          back = ctx.record();
          inflight.remove(back.id());
        } finally {
          lock.unlock();
        }
        journal.notFed(serial);
        fedHere.remove(back.id());
        giveBackSlot(back, true);
        events.deviceStatus(transport.id(), transport.status());
        LOG.warn("{}: feeding failed, the machine takes no more cards: {}", machine.id(), e.getMessage());
        return;
      }
      lock.lock();
      try {
        long seq = nextSeq++;
        for (ModuleState m : modules) {
          m.pending.add(seq);
        }
        exitPending.add(seq);
        fedQueue.add(new Fed(ctx, seq));
        clock.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /**
     * A card worker: carries fed cards through the modules until the feeder is done. Idle workers queue
     * up, and a fed card wakes only the first of them (the one idle the shortest), not all.
     */
    void work() {
      Object me = new Object();
      BooleanSupplier cardForMe = () -> fatal != null || feederDone || !fedQueue.isEmpty() && idle.peekFirst() == me;
      try {
        while (true) {
          Fed fed;
          lock.lock();
          try {
            if (fatal == null && fedQueue.isEmpty() && !feederDone) {
              idle.addFirst(me);
              try {
                clock.await(cardForMe);
              } finally {
                idle.remove(me);
              }
              if (fedQueue.size() > 1) {
                clock.signalAll();   // the next idle worker, for the next card
              }
            }
            if (fatal != null || fedQueue.isEmpty()) {
              return;
            }
            fed = fedQueue.poll();
          } finally {
            lock.unlock();
          }
          carry(fed);
        }
      } catch (Abort e) {
        // the line stopped; the card stays inside and is purged at the next start
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void carry(Fed fed) {
      CardContext ctx = fed.ctx();
      Station held = null;
      try {
        for (int m = 0; m < modules.length; m++) {
          ModuleState ms = modules[m];
          held = enter(ms, fed.seq(), held);
          if (held == null) {
            throw new DeviceException(machine.id() + "/" + ms.module.name(), DeviceFault.COMMUNICATION_ERROR,
                "every station of the module is offline");
          }
          if (ms.steps.isEmpty()) {
            continue;
          }
          held = runSteps(ms, held, ctx);
        }
        lock.lock();
        try {
          clock.await(() -> fatal != null || exitPending.first() == fed.seq());
          checkFatal();
        } finally {
          lock.unlock();
        }
        journal.issued(fed.card().serial(), ctx.outputs(), clock.now());
        withOperator(this, transport, () -> transport.eject(fed.card()));
        leave(fed, held, null);
        issued.incrementAndGet();
        LineRun.this.issued.incrementAndGet();
        events.cardDone(fed.card(), machine.id());
        progress();
      } catch (Abort | JournalException e) {
        throw e;
      } catch (PersoException e) {
        reject(fed, held, ctx, e);
      } catch (RuntimeException e) {
        LOG.error("{}: unexpected error on {}", machine.id(), fed.card(), e);
        reject(fed, held, ctx, new PersoException("internal error: " + e.getClass().getSimpleName(), e));
      }
    }

    private Station runSteps(ModuleState ms, Station station, CardContext ctx) {
      Station at = station;
      int retries = 0;
      withOperator(this, transport, () -> transport.moveTo(ctx.card(), station.id()));
      ctx.at(at);
      events.cardEntered(ctx.card(), at.id());
      int nextStep = 0;
      while (true) {
        try {
          for (; nextStep < ms.steps.size(); nextStep++) {
            PersoStep step = ms.steps.get(nextStep);
            checkFatal();
            if (!ctx.pinned) {
              lock.lock();
              try {
                ctx.pinned = true;   // from now on the card keeps its record unless it re-assigns itself
              } finally {
                lock.unlock();
              }
              ctx.syncTag();   // an exchange before the pin gave it another record
            }
            journal.stepStarted(ctx.card().serial(), at.id(), step.name());
            ctx.stepStarted();
            Instant t0 = clock.now();
            step.run(ctx);
            events.stepDone(ctx.card(), step.name(), at.id(), Duration.between(t0, clock.now()));
          }
          events.cardLeft(ctx.card(), at.id());
          return at;
        } catch (DeviceException e) {
          if (e.fault().needsOperator()) {
            Device d = deviceNamed(at, e.device());
            waitForOperator(this, d, e);
            if (!ctx.written()) {
              continue;
            }
            throw e;
          }
          if (!e.fault().takesStationOffline()) {
            throw e;
          }
          offline(ms, at, e);
          if (ctx.written() || retries >= line.retry().stationRetries()) {
            throw e;
          }
          retries++;
          events.cardRetried(ctx.card(), at.id(), e);
          Station next = switchStation(ms, at);
          if (next == null) {
            throw e;
          }
          at = next;
          Station target = at;
          withOperator(this, transport, () -> transport.moveTo(ctx.card(), target.id()));
          ctx.at(at);
          events.cardEntered(ctx.card(), at.id());
        }
      }
    }

    private Device deviceNamed(Station at, String id) {
      for (Device d : at.devices()) {
        if (d.id().equals(id)) {
          return d;
        }
      }
      return transport.id().equals(id) ? transport : at.devices().get(0);
    }

    private void offline(ModuleState ms, Station at, DeviceException e) {
      boolean machineDown;
      lock.lock();
      try {
        if (!ms.online.remove(at)) {
          return;
        }
        machineDown = ms.online.isEmpty();
        if (machineDown) {
          down = true;
        }
        clock.signalAll();
      } finally {
        lock.unlock();
      }
      events.stationOffline(at.id(), e);
      at.devices().forEach(d -> events.deviceStatus(d.id(), d.status()));
      LOG.warn("{} offline: {}", at.id(), e.getMessage());
      if (machineDown) {
        LOG.warn("{}: every station of module {} is offline; the machine takes no more cards", machine.id(),
            ms.module.name());
      }
    }

    /** Enters module {@code ms} in feed order and takes a free station; releases {@code previous}. */
    private Station enter(ModuleState ms, long seq, Station previous) {
      lock.lock();
      try {
        clock.await(() -> fatal != null || ms.online.isEmpty()
            || ms.pending.first() == seq && !ms.free.isEmpty());
        checkFatal();
        ms.pending.remove(seq);
        release(previous);
        Station s = ms.online.isEmpty() ? null : ms.free.poll();
        clock.signalAll();
        return s;
      } finally {
        lock.unlock();
      }
    }

    private Station switchStation(ModuleState ms, Station failed) {
      lock.lock();
      try {
        release(failed);
        clock.await(() -> fatal != null || ms.online.isEmpty() || !ms.free.isEmpty());
        checkFatal();
        Station s = ms.online.isEmpty() ? null : ms.free.poll();
        clock.signalAll();
        return s;
      } finally {
        lock.unlock();
      }
    }

    /** Call holding the lock. */
    private void release(Station s) {
      if (s == null) {
        return;
      }
      for (ModuleState m : modules) {
        if (m.module.stations().contains(s)) {
          if (m.online.contains(s)) {
            m.free.add(s);
          }
          return;
        }
      }
    }

    private void leave(Fed fed, Station held, CardRecord remake) {
      lock.lock();
      try {
        fedHere.remove(fed.ctx().record().id());
        inflight.remove(fed.ctx().record().id());
        release(held);
        for (ModuleState m : modules) {
          m.pending.remove(fed.seq());
        }
        exitPending.remove(fed.seq());
        if (remake != null) {
          remakes.add(remake);
        }
        inMachine--;
        inFlight--;
        clock.signalAll();
      } finally {
        lock.unlock();
      }
    }

    private void reject(Fed fed, Station held, CardContext ctx, PersoException e) {
      String code = e instanceof DeviceException d ? d.fault().name() : e.getClass().getSimpleName();
      CardRecord record = ctx.record();
      try {
        ctx.syncTag();   // a card exchanged before any step ran leaves under the record it carries
      } catch (DeviceException retag) {
        LOG.warn("{}: {}", fed.card(), retag.getMessage());
      }
      int attempts = journal.record(record.id()).map(RecordStatus::attempts).orElse(1);
      boolean remake = line.retry().mayRemake(attempts);
      journal.rejected(fed.card().serial(), code, e.getMessage(), remake, clock.now());
      withOperator(this, transport, () -> transport.reject(fed.card()));
      leave(fed, held, remake ? record : null);
      rejected.incrementAndGet();
      rejectedCards.incrementAndGet();
      String where = ctx.station().isEmpty() ? machine.id() : ctx.station();
      events.cardRejected(fed.card(), where, e, remake);
      LOG.info("{} rejected at {}: {}{}", fed.card(), where, e.getMessage(), remake ? " (record remade)" : "");
      if (remake) {
        remade.incrementAndGet();
      } else {
        recordsRejected.incrementAndGet();
        progress();
      }
    }

    private void progress() {
      events.progress(finishedRecords.incrementAndGet(), job.expectedRecords());
    }
  }

  /** Call holding the lock. */
  private void checkFatal() {
    if (fatal != null) {
      throw new Abort();
    }
  }

}
