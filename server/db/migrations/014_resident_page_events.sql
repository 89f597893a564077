-- A household's open page hears that something it shows changed through the event stream, like everything
-- live, but it is no user: such events ('resident:changed', sent to the code's room) have no recipients.
ALTER TABLE live_events DROP CONSTRAINT live_events_recipients_check;
ALTER TABLE live_events ADD CONSTRAINT live_events_recipients_check CHECK (cardinality(recipients) > 0 OR type = 'resident:changed');
