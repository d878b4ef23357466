-- Several controllers on one journal. Each controller registers under its id; every registration bumps the
-- epoch (a restarted controller fences its earlier self). A controller renews its lease while it runs; its
-- open records (records.owner) become UNCERTAIN once its lease has expired, and its cards (cards.controller)
-- are recovered by the controller of that id when it starts again. Lease times are the database's clock.

CREATE TABLE controllers (
  controller_id text        NOT NULL PRIMARY KEY,
  epoch         bigint      NOT NULL CHECK (epoch > 0),
  lease_until   timestamptz NOT NULL,
  registered    timestamptz NOT NULL
);

ALTER TABLE records ADD COLUMN owner text;
ALTER TABLE cards ADD COLUMN controller text NOT NULL DEFAULT '';

CREATE INDEX records_owned ON records (owner) WHERE state = 'IN_PROGRESS';
CREATE INDEX cards_inside_controller ON cards (job_id, controller, serial) WHERE outcome = 'INSIDE';
