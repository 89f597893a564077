-- Community workers may be tied to the communities they serve: they then see and edit only those
-- communities' households and needs, join only those need sheets and hear only of their changes.
-- NULL: every community (coordinators and admins always see every community).
ALTER TABLE users ADD COLUMN communities text[] CHECK (communities IS NULL OR role = 'community');
