-- The highest live event number pruned so far. Pruning goes by user (an event goes once every recipient
-- acknowledged it, from any device), so a device resuming from before this number may have missed
-- events: its hello tells it to reload. A row of its own keeps pruning off the hot stream counter.
CREATE TABLE live_pruned (
  id       boolean PRIMARY KEY DEFAULT true CHECK (id),
  through  bigint NOT NULL
);
INSERT INTO live_pruned (through) VALUES (0);
