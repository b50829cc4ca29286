-- The same bytes, and the same name and semver, may exist once per organisation: a constraint across
-- organisations would answer 409/200 for another organisation's rows and so reveal they exist.
-- SQLite cannot drop a constraint, so artifacts and releases are rebuilt with the new ones: copy the rows aside,
-- drop the table, create it again under its own name, copy the rows back. Foreign keys (releases, deployments and
-- release_signatures point at these tables by name) are checked at commit instead of at the DROP; re-inserting the
-- parent rows under the same table name satisfies them again. Same columns, same rows.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE artifacts_copy AS SELECT * FROM artifacts;
DROP TABLE artifacts;
CREATE TABLE artifacts (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    kind        VARCHAR(32)   NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    sha256      CHAR(64)      NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    storage_url VARCHAR(1000) NOT NULL,
    created_at  BIGINT        NOT NULL,
    org         VARCHAR(63)   NOT NULL DEFAULT 'default',
    CONSTRAINT artifacts_same_bytes UNIQUE (org, kind, name, sha256)
);
INSERT INTO artifacts (id, kind, name, sha256, size_bytes, storage_url, created_at, org)
    SELECT id, kind, name, sha256, size_bytes, storage_url, created_at, org FROM artifacts_copy;
DROP TABLE artifacts_copy;

CREATE TABLE releases_copy AS SELECT * FROM releases;
DROP TABLE releases;
CREATE TABLE releases (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    artifact_id   VARCHAR(36)  NOT NULL REFERENCES artifacts (id),
    -- Copied from the artifact so "one semver per artifact name" can be a plain UNIQUE constraint.
    artifact_name VARCHAR(200) NOT NULL,
    semver        VARCHAR(255) NOT NULL,
    notes         TEXT         NOT NULL,
    manifest_json TEXT         NOT NULL,
    created_at    BIGINT       NOT NULL,
    org           VARCHAR(63)  NOT NULL DEFAULT 'default',
    CONSTRAINT releases_one_semver_per_name UNIQUE (org, artifact_name, semver)
);
INSERT INTO releases (id, artifact_id, artifact_name, semver, notes, manifest_json, created_at, org)
    SELECT id, artifact_id, artifact_name, semver, notes, manifest_json, created_at, org FROM releases_copy;
DROP TABLE releases_copy;
