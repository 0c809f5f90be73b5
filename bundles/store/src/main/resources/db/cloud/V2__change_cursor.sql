-- The provider's change cursor that matches the container's current snapshot: the next traversal
-- asks only for the changes since it. NULL when there is none (no snapshot yet, a provider without
-- change cursors, a container of several folders, or a cursor the provider rejected).
ALTER TABLE ck_containers ADD COLUMN change_cursor VARCHAR(4000);
