-- Roboflare control plane schema, version 1.
-- Portable SQL on purpose: it must run unchanged on SQLite now and PostgreSQL later.
-- Timestamps are epoch microseconds (BIGINT, UTC). Ids are UUID strings.
-- artifacts ─< releases ─< deployments ─< deployment_events are append-only: rows are never updated or deleted.

CREATE TABLE artifacts (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    kind        VARCHAR(32)   NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    sha256      CHAR(64)      NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    storage_url VARCHAR(1000) NOT NULL,
    created_at  BIGINT        NOT NULL,
    CONSTRAINT artifacts_same_bytes UNIQUE (kind, name, sha256)
);

CREATE TABLE releases (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    artifact_id   VARCHAR(36)  NOT NULL REFERENCES artifacts (id),
    -- Copied from the artifact so "one semver per artifact name" can be a plain UNIQUE constraint.
    artifact_name VARCHAR(200) NOT NULL,
    semver        VARCHAR(255) NOT NULL,
    notes         TEXT         NOT NULL,
    manifest_json TEXT         NOT NULL,
    created_at    BIGINT       NOT NULL,
    CONSTRAINT releases_one_semver_per_name UNIQUE (artifact_name, semver)
);

CREATE TABLE robots (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_seen_at BIGINT
);

-- Only the SHA-256 of a robot token is kept; a robot may later hold several (rotation).
CREATE TABLE robot_tokens (
    token_sha256 CHAR(64)    NOT NULL PRIMARY KEY,
    robot_id     VARCHAR(36) NOT NULL REFERENCES robots (id),
    created_at   BIGINT      NOT NULL
);

CREATE TABLE fleets (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at BIGINT       NOT NULL
);

CREATE TABLE fleet_robots (
    fleet_id VARCHAR(36) NOT NULL REFERENCES fleets (id),
    robot_id VARCHAR(36) NOT NULL REFERENCES robots (id),
    added_at BIGINT      NOT NULL,
    PRIMARY KEY (fleet_id, robot_id)
);

CREATE TABLE deployments (
    id              VARCHAR(36)  NOT NULL PRIMARY KEY,
    -- Set on the per-robot children of a fleet deployment.
    parent_id       VARCHAR(36)  REFERENCES deployments (id),
    release_id      VARCHAR(36)  NOT NULL REFERENCES releases (id),
    target_kind     VARCHAR(16)  NOT NULL,
    target_id       VARCHAR(36)  NOT NULL,
    -- The robot that applies this deployment; NULL on a fleet parent.
    robot_id        VARCHAR(36)  REFERENCES robots (id),
    idempotency_key VARCHAR(200) NOT NULL,
    scheduled_at    BIGINT,
    created_at      BIGINT       NOT NULL
);
CREATE INDEX deployments_by_robot ON deployments (robot_id, created_at);
CREATE INDEX deployments_by_parent ON deployments (parent_id);

-- A deployment's status is its newest event (highest seq).
CREATE TABLE deployment_events (
    deployment_id VARCHAR(36)  NOT NULL REFERENCES deployments (id),
    seq           INTEGER      NOT NULL,
    event_id      VARCHAR(200) NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    detail        TEXT,
    reported_by   VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (deployment_id, seq),
    CONSTRAINT deployment_events_replay UNIQUE (deployment_id, event_id)
);
CREATE INDEX deployment_events_by_status ON deployment_events (status, deployment_id);

CREATE TABLE idempotency_keys (
    idempotency_key VARCHAR(200) NOT NULL PRIMARY KEY,
    request_sha256  CHAR(64)     NOT NULL,
    deployment_id   VARCHAR(36)  NOT NULL REFERENCES deployments (id),
    created_at      BIGINT       NOT NULL
);
