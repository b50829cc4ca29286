-- Organisations (issue 7), portable SQL like V1. Every top-level owned row gets the organisation that owns it;
-- rows that existed before belong to the built-in organisation 'default' (DATA/operator-token's). Children follow
-- their parents: deployment_events, fleet_robots, robot_tokens, release_signatures and the rollout tables are
-- reached only through a deployment, fleet, robot or release of the caller's organisation. Fleet children are
-- deployments too and carry their parent's org, so every deployment lookup can filter on it.

CREATE TABLE organisations (
    name       VARCHAR(63) NOT NULL PRIMARY KEY,
    created_at BIGINT      NOT NULL
);
INSERT INTO organisations (name, created_at) VALUES ('default', 0);

-- No REFERENCES here: SQLite refuses ADD COLUMN with a foreign key and a non-NULL default. The API only ever
-- writes an org that exists (the caller's token's).
ALTER TABLE artifacts ADD COLUMN org VARCHAR(63) NOT NULL DEFAULT 'default';
ALTER TABLE releases ADD COLUMN org VARCHAR(63) NOT NULL DEFAULT 'default';
ALTER TABLE robots ADD COLUMN org VARCHAR(63) NOT NULL DEFAULT 'default';
ALTER TABLE fleets ADD COLUMN org VARCHAR(63) NOT NULL DEFAULT 'default';
ALTER TABLE deployments ADD COLUMN org VARCHAR(63) NOT NULL DEFAULT 'default';
-- Extra operator tokens act inside one organisation (read-write or read-only).
ALTER TABLE operator_tokens ADD COLUMN org VARCHAR(63) NOT NULL DEFAULT 'default';

CREATE INDEX deployments_by_org ON deployments (org, parent_id, created_at);
CREATE INDEX robots_by_org ON robots (org, created_at);
