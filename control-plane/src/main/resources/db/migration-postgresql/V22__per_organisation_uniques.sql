-- The same bytes, and the same name and semver, may exist once per organisation: a constraint across
-- organisations would answer 409/200 for another organisation's rows and so reveal they exist.
-- (SQLite cannot drop a constraint: db/migration-sqlite/V22 rebuilds the two tables instead.)
ALTER TABLE artifacts DROP CONSTRAINT artifacts_same_bytes;
ALTER TABLE artifacts ADD CONSTRAINT artifacts_same_bytes UNIQUE (org, kind, name, sha256);
ALTER TABLE releases DROP CONSTRAINT releases_one_semver_per_name;
ALTER TABLE releases ADD CONSTRAINT releases_one_semver_per_name UNIQUE (org, artifact_name, semver);
