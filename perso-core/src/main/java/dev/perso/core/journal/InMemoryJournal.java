package dev.perso.core.journal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The journal in memory: the same rules as the SQLite journal, gone with the process. */
final class InMemoryJournal implements Journal {

  private static final class Rec {
    final String id;
    RecordState state = RecordState.QUEUED;
    int attempts;
    String machine = "";
    String station = "";
    String step = "";
    String reasonCode = "";
    String reason = "";
    String location;
    long openCard;
    boolean readReject;
    Instant finished;

    Rec(String id, String location) {
      this.id = id;
      this.location = location;
    }

    RecordStatus status() {
      return new RecordStatus(id, state, attempts, machine, station, step,
          reasonCode.isEmpty() ? "" : reasonCode + ": " + reason, location);
    }
  }

  private static final class Card {
    final long serial;
    String recordId;
    final String machine;
    String station;
    CardOutcome outcome = CardOutcome.INSIDE;
    String reasonCode = "";

    Card(long serial, String recordId, String machine, String station) {
      this.serial = serial;
      this.recordId = recordId;
      this.machine = machine;
      this.station = station;
    }
  }

  private final Map<String, Rec> records = new LinkedHashMap<>();
  private final Map<Long, Card> cards = new TreeMap<>();
  private final Map<String, Map<String, String>> stageOutputs = new HashMap<>();
  private String jobId;
  private String stage = "";
  private String cardType;
  private String input;
  private Instant started;
  private Instant ended;
  private int runs;
  private long nextSerial = 1;
  private boolean closed;

  @Override
  public synchronized JobInfo begin(String jobId, String stage, String cardType, String input, Instant now) {
    open();
    String st = stage == null ? "" : stage;
    if (this.jobId == null) {
      this.jobId = jobId;
      this.stage = st;
      this.cardType = cardType;
      this.input = input;
      this.started = now;
    } else if (!this.jobId.equals(jobId) || !this.cardType.equals(cardType) || !this.stage.equals(st)) {
      throw new JournalException("this journal holds job " + this.jobId + StageNames.of(this.stage) + " (card type "
          + this.cardType + "), not job " + jobId + StageNames.of(st) + " (card type " + cardType + ")");
    }
    runs++;
    ended = null;
    return new JobInfo(this.jobId, this.cardType, this.input, started, runs, this.stage);
  }

  @Override
  public synchronized Optional<StageRecord> stageRecord(String recordId) {
    open();
    Rec r = records.get(recordId);
    if (r == null) {
      return Optional.empty();
    }
    return Optional.of(new StageRecord(r.id, stage, r.state, r.machine, r.station,
        Optional.ofNullable(r.state == RecordState.DONE ? r.finished : null),
        r.state == RecordState.DONE ? stageOutputs.getOrDefault(r.id, Map.of()) : Map.of()));
  }

  @Override
  public synchronized List<StageRecord> stageRecords() {
    open();
    List<StageRecord> out = new ArrayList<>();
    for (Rec r : records.values()) {
      out.add(stageRecord(r.id).orElseThrow());
    }
    return out;
  }

  @Override
  public synchronized List<String> recordsWithOutput(String name, String value) {
    open();
    List<String> out = new ArrayList<>();
    for (Rec r : records.values()) {
      if (r.state == RecordState.DONE && value.equals(stageOutputs.getOrDefault(r.id, Map.of()).get(name))) {
        out.add(r.id);
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<RecordStatus> record(String recordId) {
    open();
    Rec r = records.get(recordId);
    return r == null ? Optional.empty() : Optional.of(r.status());
  }

  @Override
  public synchronized Map<String, RecordStatus> records(Collection<String> recordIds) {
    open();
    Map<String, RecordStatus> out = new HashMap<>();
    for (String id : recordIds) {
      Rec r = records.get(id);
      if (r != null) {
        out.put(id, r.status());
      }
    }
    return out;
  }

  @Override
  public synchronized void queued(Map<String, String> toQueue) {
    open();
    toQueue.forEach((id, loc) -> records.putIfAbsent(id, new Rec(id, loc)));
  }

  @Override
  public synchronized void rejectedOnRead(String recordId, String location, String reasonCode, String reason) {
    open();
    String key = recordId == null || recordId.equals("?") ? "?@" + location : recordId;
    Rec r = records.computeIfAbsent(key, k -> new Rec(k, location));
    if (r.state == RecordState.DONE || r.state == RecordState.IN_PROGRESS || r.state == RecordState.UNCERTAIN) {
      return;
    }
    r.state = RecordState.REJECTED;
    r.reasonCode = reasonCode;
    r.reason = reason;
    r.readReject = true;
    r.location = location;
  }

  @Override
  public synchronized long cardFed(String recordId, String machine, String station, Instant now) {
    open();
    Rec r = records.computeIfAbsent(recordId, k -> new Rec(k, ""));
    if (r.state != RecordState.QUEUED) {
      throw new JournalException("record " + recordId + " is " + r.state + ": no card may be fed for it");
    }
    long serial = nextSerial++;
    cards.put(serial, new Card(serial, recordId, machine, station));
    r.state = RecordState.IN_PROGRESS;
    r.attempts++;
    r.machine = machine;
    r.station = station;
    r.step = "";
    r.openCard = serial;
    r.readReject = false;
    return serial;
  }

  @Override
  public synchronized void stepStarted(long card, String station, String step) {
    open();
    Card c = openCard(card);
    c.station = station;
    Rec r = records.get(c.recordId);
    r.station = station;
    r.step = step;
  }

  @Override
  public synchronized void issued(long card, Map<String, String> outputs, Instant now) {
    open();
    Card c = openCard(card);
    Rec r = records.get(c.recordId);
    if (r.state != RecordState.IN_PROGRESS || r.openCard != card) {
      throw new JournalException("card #" + card + " cannot be issued: record " + r.id + " is " + r.state
          + (r.openCard != card ? " with another card" : ""));
    }
    c.outcome = CardOutcome.ISSUED;
    r.state = RecordState.DONE;
    r.reasonCode = "";
    r.reason = "";
    r.openCard = 0;
    r.finished = now;
    if (!outputs.isEmpty()) {
      stageOutputs.put(r.id, Map.copyOf(outputs));
    }
  }

  @Override
  public synchronized void reassigned(long card, String recordId, Instant now) {
    open();
    Card c = openCard(card);
    Rec from = openRecord(c, "reassigned");
    Rec to = records.computeIfAbsent(recordId, k -> new Rec(k, ""));
    if (to.state != RecordState.QUEUED) {
      throw new JournalException("record " + recordId + " is " + to.state + ": card #" + card + " cannot become its card");
    }
    from.state = RecordState.QUEUED;
    from.openCard = 0;
    from.attempts--;
    c.recordId = recordId;
    to.state = RecordState.IN_PROGRESS;
    to.attempts++;
    to.machine = c.machine;
    to.station = c.station;
    to.step = "";
    to.openCard = card;
    to.readReject = false;
  }

  @Override
  public synchronized void exchanged(long card, long other, Instant now) {
    open();
    Card a = openCard(card);
    Card b = openCard(other);
    Rec ra = openRecord(a, "exchanged");
    Rec rb = openRecord(b, "exchanged");
    if (ra == rb) {
      throw new JournalException("cards #" + card + " and #" + other + " are the same card");
    }
    a.recordId = rb.id;
    b.recordId = ra.id;
    ra.openCard = other;
    rb.openCard = card;
    String machine = ra.machine;
    String station = ra.station;
    ra.machine = rb.machine;
    ra.station = rb.station;
    rb.machine = machine;
    rb.station = station;
  }

  /** The IN_PROGRESS record whose open card {@code c} is. */
  private Rec openRecord(Card c, String op) {
    Rec r = records.get(c.recordId);
    if (r.state != RecordState.IN_PROGRESS || r.openCard != c.serial) {
      throw new JournalException("card #" + c.serial + " cannot be " + op + ": record " + r.id + " is " + r.state
          + (r.openCard != c.serial ? " with another card" : ""));
    }
    return r;
  }

  @Override
  public synchronized RecordState rejected(long card, String reasonCode, String reason, boolean remake, Instant now) {
    open();
    Card c = openCard(card);
    Rec r = records.get(c.recordId);
    if (r.openCard != card || r.state != RecordState.IN_PROGRESS) {
      throw new JournalException("card #" + card + " cannot be rejected: record " + r.id + " is " + r.state);
    }
    c.outcome = CardOutcome.REJECTED;
    c.reasonCode = reasonCode;
    r.openCard = 0;
    r.state = remake ? RecordState.QUEUED : RecordState.REJECTED;
    r.reasonCode = reasonCode;
    r.reason = reason;
    return r.state;
  }

  @Override
  public synchronized List<OpenCard> recover() {
    open();
    List<OpenCard> out = new ArrayList<>();
    for (Card c : cards.values()) {
      if (c.outcome != CardOutcome.INSIDE) {
        continue;
      }
      Rec r = records.get(c.recordId);
      if (c.outcome == CardOutcome.INSIDE && r.state == RecordState.IN_PROGRESS) {
        r.state = RecordState.UNCERTAIN;
      }
      if (c.outcome == CardOutcome.INSIDE) {
        out.add(new OpenCard(c.serial, c.recordId, r.state, c.machine, c.station));
      }
    }
    return out;
  }

  @Override
  public synchronized void purged(long card, boolean remake, Instant now) {
    open();
    Card c = openCard(card);
    Rec r = records.get(c.recordId);
    c.outcome = CardOutcome.PURGED;
    if (r.openCard == card) {
      r.openCard = 0;
      r.state = remake ? RecordState.QUEUED : RecordState.REJECTED;
      if (!remake) {
        r.reasonCode = "PURGED";
        r.reason = "purged after a restart and no remake left";
      }
    }
  }

  @Override
  public synchronized void notFed(long card) {
    open();
    Card c = openCard(card);
    Rec r = records.get(c.recordId);
    c.outcome = CardOutcome.VOID;
    if (r.openCard == card) {
      r.openCard = 0;
      r.state = RecordState.QUEUED;
      r.attempts--;
    }
  }

  @Override
  public synchronized void ejectedAfterRestart(long card) {
    open();
    Card c = cards.get(card);
    if (c == null || c.outcome != CardOutcome.ISSUED) {
      throw new JournalException("card #" + card + " was not issued");
    }
  }

  private Card openCard(long serial) {
    Card c = cards.get(serial);
    if (c == null) {
      throw new JournalException("no card #" + serial + " in this journal");
    }
    if (c.outcome != CardOutcome.INSIDE) {
      throw new JournalException("card #" + serial + " is already " + c.outcome);
    }
    return c;
  }

  @Override
  public synchronized JobStatus status() {
    open();
    Map<RecordState, Long> rs = new EnumMap<>(RecordState.class);
    records.values().forEach(r -> rs.merge(r.state, 1L, Long::sum));
    Map<CardOutcome, Long> cs = new EnumMap<>(CardOutcome.class);
    cards.values().forEach(c -> cs.merge(c.outcome, 1L, Long::sum));
    return new JobStatus(jobId == null ? "" : jobId, cardType == null ? "" : cardType, rs, cs, stage);
  }

  @Override
  public synchronized Reconciliation reconcile() {
    open();
    CardTally total = new CardTally();
    Map<String, CardTally> byMachine = new TreeMap<>();
    Map<String, CardTally> byStation = new TreeMap<>();
    Map<String, Integer> issuedPerRecord = new HashMap<>();
    for (Card c : cards.values()) {
      if (c.outcome == CardOutcome.VOID) {
        continue;
      }
      for (CardTally t : List.of(total, byMachine.computeIfAbsent(c.machine, k -> new CardTally()),
          byStation.computeIfAbsent(c.station, k -> new CardTally()))) {
        t.add(c.outcome, c.reasonCode, 1);
      }
      if (c.outcome == CardOutcome.ISSUED) {
        issuedPerRecord.merge(c.recordId, 1, Integer::sum);
      }
    }
    Map<RecordState, Long> rs = new EnumMap<>(RecordState.class);
    Map<String, Long> onRead = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (Rec r : records.values()) {
      rs.merge(r.state, 1L, Long::sum);
      if (r.readReject) {
        onRead.merge(r.reasonCode, 1L, Long::sum);
      }
      String problem = CardTally.recordProblem(r.id, r.state, issuedPerRecord.getOrDefault(r.id, 0));
      if (problem != null) {
        problems.add(problem);
      }
    }
    Reconciliation.Counts t = total.counts();
    if (!t.addsUp()) {
      problems.add(0, CardTally.totalProblem(t));
    }
    Map<String, Reconciliation.Counts> m = new LinkedHashMap<>();
    byMachine.forEach((k, v) -> m.put(k, v.counts()));
    Map<String, Reconciliation.Counts> s = new LinkedHashMap<>();
    byStation.forEach((k, v) -> s.put(k, v.counts()));
    return new Reconciliation(jobId == null ? "" : jobId, cardType == null ? "" : cardType,
        started == null ? Instant.EPOCH : started, Optional.ofNullable(ended), t, m, s, rs, onRead, problems);
  }

  @Override
  public synchronized void end(Instant now) {
    open();
    ended = now;
  }

  private void open() {
    if (closed) {
      throw new JournalException("journal is closed");
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
