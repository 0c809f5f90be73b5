-- Backup, cloud side: users, their devices, tokens, provider accounts and containers; snapshots of
-- entries in task groups; traversals and the listing a traversal is writing.
-- Portable between Derby and PostgreSQL: no vendor types, identity columns, plain indexes.

CREATE TABLE ck_users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT ck_users_username UNIQUE (username)
);

CREATE TABLE ck_devices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES ck_users (id),
    serial VARCHAR(128) NOT NULL,
    name VARCHAR(128) NOT NULL,
    free_bytes BIGINT,
    state VARCHAR(8),
    last_seen_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT ck_devices_serial UNIQUE (serial)
);

-- Session and device tokens are kept only as SHA-256 hashes: the database never holds a usable token.
CREATE TABLE ck_tokens (
    token_hash CHAR(64) NOT NULL PRIMARY KEY,
    kind VARCHAR(8) NOT NULL, -- SESSION or DEVICE
    user_id BIGINT NOT NULL REFERENCES ck_users (id),
    device_id BIGINT REFERENCES ck_devices (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP
);

-- Credentials are sealed (AES-GCM) under the key file beside the data; never stored in plain text.
CREATE TABLE ck_accounts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES ck_users (id),
    provider VARCHAR(64) NOT NULL,
    label VARCHAR(128) NOT NULL,
    sealed_credentials VARCHAR(16000) NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE ck_containers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES ck_users (id),
    account_id BIGINT NOT NULL REFERENCES ck_accounts (id),
    device_id BIGINT NOT NULL REFERENCES ck_devices (id),
    folders VARCHAR(16000) NOT NULL, -- JSON array of provider paths
    group_size INT NOT NULL,
    traverse_every_hours INT NOT NULL,
    snapshot INT DEFAULT 0 NOT NULL, -- the current snapshot's number; 0 before the first traversal
    state VARCHAR(16) NOT NULL, -- WAITING, TRAVERSING, READY, FAILED
    next_traversal_at TIMESTAMP NOT NULL,
    failures INT DEFAULT 0 NOT NULL, -- traversals failed in a row, for the backoff
    last_error VARCHAR(2000),
    last_finished_at TIMESTAMP,
    last_added BIGINT,
    last_changed BIGINT,
    last_removed BIGINT,
    last_unchanged BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ck_containers_device ON ck_containers (device_id);
CREATE INDEX ck_containers_due ON ck_containers (next_traversal_at);

-- One row per entry of a container's snapshot. path_key is the hex SHA-256 of the path: a short,
-- fixed-size key that every database sorts the same way, so that merging is a merge-join on it.
CREATE TABLE ck_entries (
    container_id BIGINT NOT NULL,
    snapshot INT NOT NULL,
    path_key CHAR(64) NOT NULL,
    path VARCHAR(8000) NOT NULL,
    size BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    hash_algorithm VARCHAR(64),
    hash_value VARCHAR(256),
    directory SMALLINT NOT NULL,
    fetched SMALLINT NOT NULL,
    group_no INT NOT NULL,
    PRIMARY KEY (container_id, snapshot, path_key)
);
-- "First unfinished group" is one index seek; so is a group's content.
CREATE INDEX ck_entries_unfinished ON ck_entries (container_id, snapshot, fetched, group_no);
CREATE INDEX ck_entries_group ON ck_entries (container_id, snapshot, group_no);

CREATE TABLE ck_traversals (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    container_id BIGINT NOT NULL REFERENCES ck_containers (id),
    state VARCHAR(16) NOT NULL, -- RUNNING, MERGED, FAILED
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    entries BIGINT DEFAULT 0 NOT NULL,
    error VARCHAR(2000)
);
CREATE INDEX ck_traversals_container ON ck_traversals (container_id);

-- The listing a traversal writes as it walks, in arrival order (seq); merged into ck_entries at the
-- end and then deleted. Its folders double as the walk's queue, so memory stays bounded.
CREATE TABLE ck_traversal_entries (
    traversal_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    path_key CHAR(64) NOT NULL,
    path VARCHAR(8000) NOT NULL,
    size BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    hash_algorithm VARCHAR(64),
    hash_value VARCHAR(256),
    directory SMALLINT NOT NULL,
    PRIMARY KEY (traversal_id, seq)
);
CREATE INDEX ck_traversal_entries_key ON ck_traversal_entries (traversal_id, path_key);
CREATE INDEX ck_traversal_entries_folders ON ck_traversal_entries (traversal_id, directory, seq);
