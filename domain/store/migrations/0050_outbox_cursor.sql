-- The relay no longer marks each published row (a non-HOT UPDATE per event: a second heap
-- tuple, new entries in every outbox index, WAL and vacuum). Rows are append-only and carry
-- their transaction id; the relay keeps one cursor, the last published (txid, id), and reads
-- only rows of transactions older than its snapshot's xmin: those are final, so no row can
-- later appear behind the cursor (ordering by id alone cannot promise that: a smaller id may
-- commit later).
ALTER TABLE app.outbox ADD COLUMN IF NOT EXISTS txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX IF NOT EXISTS outbox_txid_id ON app.outbox (txid, id);

CREATE TABLE IF NOT EXISTS app.outbox_cursor (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    txid xid8 NOT NULL,
    id   bigint NOT NULL
);

-- On an existing database every row got this migration's txid above: start the cursor before
-- the oldest unpublished row (or after the last row), so nothing unpublished is skipped; rows
-- in between are published again, which consumers deduplicate by event id.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = 'app' AND table_name = 'outbox'
                 AND column_name = 'published_at') THEN
        INSERT INTO app.outbox_cursor (txid, id)
        SELECT pg_current_xact_id(),
               coalesce((SELECT min(id) - 1 FROM app.outbox WHERE published_at IS NULL),
                        (SELECT max(id) FROM app.outbox), 0)
        ON CONFLICT (one) DO NOTHING;
        DROP INDEX IF EXISTS app.outbox_unpublished;
        ALTER TABLE app.outbox DROP COLUMN published_at;
    END IF;
END $$;
INSERT INTO app.outbox_cursor (txid, id) VALUES ('0', 0) ON CONFLICT (one) DO NOTHING;
