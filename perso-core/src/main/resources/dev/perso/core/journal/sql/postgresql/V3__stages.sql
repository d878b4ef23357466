-- Stages: a job may split a card's steps into named stages run on different lines at different times. A
-- journal keeps one stage of a job (job.stage; '' for a job without declared stages), and the small
-- outputs its issued cards leave for later stages (identifiers only, never secrets or track data) are kept
-- one a row, so that a later stage finds the record of the card in its hand by an identifier it reads back.

ALTER TABLE job ADD COLUMN stage text NOT NULL DEFAULT '';

CREATE TABLE stage_outputs (
  job_id    text NOT NULL,
  record_id text NOT NULL,
  name      text NOT NULL,
  value     text NOT NULL,
  PRIMARY KEY (job_id, record_id, name)
);

CREATE INDEX stage_outputs_value ON stage_outputs (job_id, name, value);

-- Outputs journaled before version 3 (records.stage_outputs, a JSON object) move into the table too.
INSERT INTO stage_outputs (job_id, record_id, name, value)
  SELECT r.job_id, r.record_id, o.key, o.value FROM records r, jsonb_each_text(r.stage_outputs::jsonb) o
  WHERE r.stage_outputs IS NOT NULL AND r.state = 'DONE';
