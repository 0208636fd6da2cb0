-- References ("mark buy milk as done") are resolved in Postgres: a trigram index on the title,
-- scoped by owner (btree_gin puts owner_id in the same GIN index), so finding the few candidate
-- tasks costs the same at 10 tasks as at 3,000. Both extensions ship with Postgres (contrib)
-- and are allowed on the managed offerings.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX IF NOT EXISTS tasks_owner_title_trgm
    ON app.tasks USING gin (owner_id, title gin_trgm_ops);

-- The first pass of a reference: titles sharing a word with it ('simple': no stemming, no stop
-- words, so Urdu and English are treated alike), found without a trigram scan of every title.
CREATE INDEX IF NOT EXISTS tasks_owner_title_words
    ON app.tasks USING gin (owner_id, to_tsvector('simple', title));
