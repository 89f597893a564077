-- Every idempotent create updates its claim twice after inserting it (marked applied in its transaction, then its
-- answer stored), and the claims of a burst fill their pages as they come: 35-50 % of those updates found room on
-- the row's page (a HOT update), the others wrote a new index entry in both of the table's indexes and left more
-- for vacuum. Pages filled to half leave each claim room for its two updates, which change no indexed column.
ALTER TABLE idempotent_replies SET (fillfactor = 50);
