-- A household's page lists its entries in every campaign: found by the household, not by a scan of each
-- campaign's (tens of thousands of) entries.
CREATE INDEX campaign_entries_by_household ON campaign_entries (household_id);
