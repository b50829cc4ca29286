-- Trust (issue 7), portable SQL like V1. New tables only, so existing rows stay exactly as they were inserted.

-- Offline-signed release statements. The control plane stores and serves them; it never holds the private key.
-- Append-only: re-signing (say, a later expiry) adds a row; robots get the newest.
CREATE TABLE release_signatures (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    release_id  VARCHAR(36)  NOT NULL REFERENCES releases (id),
    key_id      VARCHAR(64)  NOT NULL,
    statement   TEXT         NOT NULL,
    signature   VARCHAR(200) NOT NULL,
    expires_at  BIGINT       NOT NULL,
    created_at  BIGINT       NOT NULL
);
CREATE INDEX release_signatures_by_release ON release_signatures (release_id, created_at);

-- A revoked robot token stops working at once; the robot's other tokens (rotation) keep working.
CREATE TABLE robot_token_revocations (
    token_sha256 CHAR(64) NOT NULL PRIMARY KEY REFERENCES robot_tokens (token_sha256),
    revoked_at   BIGINT   NOT NULL
);

-- Operator tokens besides DATA/operator-token (which stays the full-access one): only their SHA-256 is kept.
CREATE TABLE operator_tokens (
    token_sha256 CHAR(64)     NOT NULL PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    read_only    INTEGER      NOT NULL,
    created_at   BIGINT       NOT NULL,
    revoked_at   BIGINT
);
