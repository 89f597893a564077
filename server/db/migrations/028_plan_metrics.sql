-- A plan's figures in a column of their own: the dashboard and the plans list read only these, and reading
-- them out of the result document made the database load and parse every need's fulfilment of every plan
-- (megabytes each at district size) on each call.
ALTER TABLE plans ADD COLUMN metrics jsonb;
UPDATE plans SET metrics = result->'metrics' WHERE result IS NOT NULL;
