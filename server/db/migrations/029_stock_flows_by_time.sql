-- The dashboard's inflow and outflow per commodity read the last days of receipts, dispatches and spoilage:
-- an index by time over those kinds alone, so the read does not walk the whole ledger (which only grows,
-- and at district size gains a reservation and a dispatch per need each day).
CREATE INDEX stock_flows_by_time ON stock_movements (created_at) WHERE kind IN ('received', 'dispatched', 'spoiled');
