-- The job journal, SQLite. Times are epoch milliseconds of the line clock (it may be virtual).
-- A file holds one job today; job_id columns let a shared journal hold several later.

CREATE TABLE job (
  job_id    TEXT    NOT NULL PRIMARY KEY,
  card_type TEXT    NOT NULL,
  input     TEXT    NOT NULL,
  started   INTEGER NOT NULL,
  ended     INTEGER,
  runs      INTEGER NOT NULL CHECK (runs >= 0)
);

-- rowid keeps the order records became known (reports list them in that order).
CREATE TABLE records (
  job_id        TEXT    NOT NULL,
  record_id     TEXT    NOT NULL,
  state         TEXT    NOT NULL DEFAULT 'QUEUED'
                CHECK (state IN ('QUEUED', 'IN_PROGRESS', 'DONE', 'REJECTED', 'UNCERTAIN')),
  attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  machine       TEXT    NOT NULL DEFAULT '',
  station       TEXT    NOT NULL DEFAULT '',
  step          TEXT    NOT NULL DEFAULT '',
  reason_code   TEXT    NOT NULL DEFAULT '',
  reason        TEXT    NOT NULL DEFAULT '',
  location      TEXT    NOT NULL DEFAULT '',
  open_card     INTEGER,
  read_reject   INTEGER NOT NULL DEFAULT 0 CHECK (read_reject IN (0, 1)),
  stage_outputs TEXT,
  UNIQUE (job_id, record_id),
  CHECK ((open_card IS NOT NULL) = (state IN ('IN_PROGRESS', 'UNCERTAIN')))
);

-- serial is the rowid: 1, 2, 3, ... in feed order.
CREATE TABLE cards (
  serial      INTEGER NOT NULL PRIMARY KEY,
  job_id      TEXT    NOT NULL,
  record_id   TEXT    NOT NULL,
  machine     TEXT    NOT NULL,
  station     TEXT    NOT NULL,
  outcome     TEXT    NOT NULL DEFAULT 'INSIDE'
              CHECK (outcome IN ('INSIDE', 'ISSUED', 'REJECTED', 'PURGED', 'VOID')),
  reason_code TEXT    NOT NULL DEFAULT '',
  fed_at      INTEGER NOT NULL,
  ended_at    INTEGER,
  ejected     INTEGER NOT NULL DEFAULT 0 CHECK (ejected IN (0, 1)),
  FOREIGN KEY (job_id, record_id) REFERENCES records (job_id, record_id) ON UPDATE CASCADE
);

CREATE INDEX cards_record ON cards (job_id, record_id);
-- Exactly once: one record never has two issued cards.
CREATE UNIQUE INDEX cards_one_issued ON cards (job_id, record_id) WHERE outcome = 'ISSUED';
-- The cards inside the machines (recover) without walking every finished card.
CREATE INDEX cards_inside ON cards (job_id, serial) WHERE outcome = 'INSIDE';
