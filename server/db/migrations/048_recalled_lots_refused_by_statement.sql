-- A movement that would reserve, dispatch or pack units of a recalled lot is refused once per statement, over
-- all the statement's movements, rather than by a lookup per row: a district plan's approval inserts 150,000
-- reservations in one statement, and the row trigger cost 174 µs each on PGlite (26 s). Same error as before
-- (stock.service maps it to 409 'recalled'). Its name sorts before stock_movements_apply, so the refusal comes
-- before the ledger moves the lots (AFTER triggers of one event run in name order).
DROP TRIGGER stock_movement_not_of_recalled_lot ON stock_movements;
DROP FUNCTION refuse_recalled_lot();

CREATE FUNCTION refuse_recalled_lots() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  recalled integer;
BEGIN
  SELECT id INTO recalled FROM lots
  WHERE recalled_at IS NOT NULL AND id IN (SELECT lot_id FROM moved WHERE kind IN ('reserved', 'dispatched', 'packed'))
  ORDER BY id LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'lot % is recalled', recalled USING ERRCODE = 'restrict_violation', HINT = 'recalled';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER recalled_lots_refused AFTER INSERT ON stock_movements
  REFERENCING NEW TABLE AS moved FOR EACH STATEMENT EXECUTE FUNCTION refuse_recalled_lots();
