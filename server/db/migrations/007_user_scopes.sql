-- What part of the operation a user works on. NULL: all of it.
-- A community worker may be tied to the communities they serve: they then see and edit only those
-- communities' households and needs, join only those need sheets and hear only of their changes.
ALTER TABLE users ADD COLUMN communities text[] CHECK (communities IS NULL OR role = 'community');
-- A coordinator may be tied to warehouses: their live board then follows only those warehouses' routes,
-- stops and drivers (plans, which span every warehouse, reach every coordinator).
ALTER TABLE users ADD COLUMN warehouse_ids integer[] CHECK (warehouse_ids IS NULL OR role = 'coordinator');
