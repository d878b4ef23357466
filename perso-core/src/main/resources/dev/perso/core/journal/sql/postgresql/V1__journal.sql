-- The job journal, PostgreSQL: the same tables as the SQLite journal, for several controllers sharing
-- one journal. Times are the line clock's (it may be virtual).

CREATE TABLE job (
  job_id    text        NOT NULL PRIMARY KEY,
  card_type text        NOT NULL,
  input     text        NOT NULL,
  started   timestamptz NOT NULL,
  ended     timestamptz,
  runs      integer     NOT NULL CHECK (runs >= 0)
);

-- seq keeps the order records became known (reports list them in that order).
CREATE TABLE records (
  seq           bigserial   NOT NULL PRIMARY KEY,
  job_id        text        NOT NULL,
  record_id     text        NOT NULL,
  state         text        NOT NULL DEFAULT 'QUEUED'
                CHECK (state IN ('QUEUED', 'IN_PROGRESS', 'DONE', 'REJECTED', 'UNCERTAIN')),
  attempts      integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  machine       text        NOT NULL DEFAULT '',
  station       text        NOT NULL DEFAULT '',
  step          text        NOT NULL DEFAULT '',
  reason_code   text        NOT NULL DEFAULT '',
  reason        text        NOT NULL DEFAULT '',
  location      text        NOT NULL DEFAULT '',
  open_card     bigint,
  read_reject   boolean     NOT NULL DEFAULT false,
  stage_outputs text,
  UNIQUE (job_id, record_id),
  CHECK ((open_card IS NOT NULL) = (state IN ('IN_PROGRESS', 'UNCERTAIN')))
);

CREATE TABLE cards (
  serial      bigserial   NOT NULL PRIMARY KEY,
  job_id      text        NOT NULL,
  record_id   text        NOT NULL,
  machine     text        NOT NULL,
  station     text        NOT NULL,
  outcome     text        NOT NULL DEFAULT 'INSIDE'
              CHECK (outcome IN ('INSIDE', 'ISSUED', 'REJECTED', 'PURGED', 'VOID')),
  reason_code text        NOT NULL DEFAULT '',
  fed_at      timestamptz NOT NULL,
  ended_at    timestamptz,
  ejected     boolean     NOT NULL DEFAULT false,
  FOREIGN KEY (job_id, record_id) REFERENCES records (job_id, record_id) ON UPDATE CASCADE
);

CREATE INDEX cards_record ON cards (job_id, record_id);
-- Exactly once: one record never has two issued cards.
CREATE UNIQUE INDEX cards_one_issued ON cards (job_id, record_id) WHERE outcome = 'ISSUED';
-- The cards inside the machines (recover) without walking every finished card.
CREATE INDEX cards_inside ON cards (job_id, serial) WHERE outcome = 'INSIDE';
