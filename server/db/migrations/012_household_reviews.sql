-- A report (form or CSV row) whose address and phone match a household of a community the reporter does
-- not work in is not merged: it waits here for a coordinator, who accepts it (the need is recorded on that
-- household, whose community never changes) or rejects it. The reporter is told only the review's id.
CREATE TABLE household_reviews (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report        jsonb NOT NULL,
  source        text NOT NULL,
  submitted_by  integer NOT NULL REFERENCES users(id),
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  household_id  integer NOT NULL REFERENCES households(id),
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),
  need_id       integer REFERENCES needs(id),
  decided_by    integer REFERENCES users(id),
  decided_at    timestamptz,
  CONSTRAINT review_decided CHECK ((state = 'pending') = (decided_by IS NULL AND decided_at IS NULL)),
  CONSTRAINT review_accepted_has_need CHECK ((state = 'accepted') = (need_id IS NOT NULL))
);
CREATE INDEX household_reviews_pending ON household_reviews (id) WHERE state = 'pending';
