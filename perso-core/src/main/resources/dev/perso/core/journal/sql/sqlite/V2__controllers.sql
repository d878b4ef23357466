-- The same tables as the shared (PostgreSQL) journal's version 2, so both backends keep one schema. The
-- embedded journal is driven by one controller at a time: it leaves owner NULL, controller '' and the
-- controllers table empty. Times are epoch milliseconds.

CREATE TABLE controllers (
  controller_id TEXT    NOT NULL PRIMARY KEY,
  epoch         INTEGER NOT NULL CHECK (epoch > 0),
  lease_until   INTEGER NOT NULL,
  registered    INTEGER NOT NULL
);

ALTER TABLE records ADD COLUMN owner TEXT;
ALTER TABLE cards ADD COLUMN controller TEXT NOT NULL DEFAULT '';

CREATE INDEX records_owned ON records (owner) WHERE state = 'IN_PROGRESS';
CREATE INDEX cards_inside_controller ON cards (job_id, controller, serial) WHERE outcome = 'INSIDE';
