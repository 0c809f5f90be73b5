-- A traversal's listing is written far more than it is searched: every index on it costs a B-tree
-- insert per entry (a walk of 100,000 entries spent two thirds of its time there). The listing keeps
-- only its primary key; the two lookups that needed more get small tables of their own:
-- - the walk's queue of folders still to list: the folders only, in arrival order;
-- - the change replay's lookups by path: written only by a replay (ChangeReplay), never by a walk.
-- The merge reads the listing ORDER BY path_key, seq, which the dropped index never gave anyway.
DROP INDEX ck_traversal_entries_key;
DROP INDEX ck_traversal_entries_folders;

CREATE TABLE ck_traversal_folders (
    traversal_id BIGINT NOT NULL,
    seq BIGINT NOT NULL, -- the folder's row in ck_traversal_entries
    path VARCHAR(8000) NOT NULL,
    PRIMARY KEY (traversal_id, seq)
);

CREATE TABLE ck_traversal_keys (
    traversal_id BIGINT NOT NULL,
    seq BIGINT NOT NULL, -- the row in ck_traversal_entries; it may be deleted since (then ignored)
    path_key CHAR(64) NOT NULL,
    PRIMARY KEY (traversal_id, seq)
);
CREATE INDEX ck_traversal_keys_key ON ck_traversal_keys (traversal_id, path_key);
