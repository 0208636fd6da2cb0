-- The title indexes of 0041 take a small pending list. Without one, every task created updates
-- the trigram and word posting trees at once: ~100 µs of Postgres CPU per creation (measured,
-- ~410 -> ~310 µs a creation's statement), a quarter of the database's cost of the API's hottest
-- write. A pending list is scanned in full by every search, so it is kept small (128 kB, some
-- hundreds of titles) rather than the 4 MB default that 0041 avoided: measured at 3,000 tasks
-- an owner (15,000 in all), a reference search took 10.6 ms without it and 10.3-11.4 ms with a
-- part-full one. Inserts merge it into the trees when it is full, and so does autovacuum.
ALTER INDEX app.tasks_title_words SET (fastupdate = on, gin_pending_list_limit = 128);
ALTER INDEX app.tasks_title_trgm SET (fastupdate = on, gin_pending_list_limit = 128);
