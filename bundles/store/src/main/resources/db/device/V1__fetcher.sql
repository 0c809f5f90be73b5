-- Backup, device side: the task group in hand per container and what became of each of its entries.
-- The account credentials that come with a group are never stored here: they stay in memory, and
-- after a restart the device asks the cloud again (decision 0011).

CREATE TABLE ck_held_groups (
    container_id BIGINT NOT NULL PRIMARY KEY,
    group_no INT NOT NULL,
    provider VARCHAR(64) NOT NULL,
    received_at TIMESTAMP NOT NULL
);

-- One row per entry not yet reported; a reported entry is deleted. An entry already in place when a
-- restarted device comes back to it is found identical on disk and reported without a download.
-- durable_bytes: how much of the staging file was forced to disk at the last checkpoint; a restarted
-- download trusts that much and no more.
CREATE TABLE ck_held_entries (
    container_id BIGINT NOT NULL,
    path_key CHAR(64) NOT NULL,
    path VARCHAR(8000) NOT NULL,
    size BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    hash_algorithm VARCHAR(64),
    hash_value VARCHAR(256),
    directory SMALLINT NOT NULL,
    durable_bytes BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (container_id, path_key)
);

-- A group answer is streamed in here first (receipt = one answer), then reconciled with what is
-- held in one transaction, so that a group of 100,000 entries is never all in memory.
CREATE TABLE ck_incoming_entries (
    receipt BIGINT NOT NULL,
    path_key CHAR(64) NOT NULL,
    path VARCHAR(8000) NOT NULL,
    size BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    hash_algorithm VARCHAR(64),
    hash_value VARCHAR(256),
    directory SMALLINT NOT NULL,
    PRIMARY KEY (receipt, path_key)
);
