-- Idempotency-Key records after the IETF httpapi draft "The Idempotency-Key HTTP Header Field":
-- keyed by (scope, key) where scope is a hash of the operator token; the fingerprint of the request; the state
-- (in_flight while the first request runs, done afterwards); the complete first response (status and body, errors
-- included) for replays; and when the record expires. Expired records are deleted by the scheduler tick.
CREATE TABLE idempotency_records (
    scope           VARCHAR(64)  NOT NULL,
    idempotency_key VARCHAR(200) NOT NULL,
    request_sha256  CHAR(64)     NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    deployment_id   VARCHAR(36),
    claimed_at      BIGINT       NOT NULL,
    expires_at      BIGINT       NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_records_by_expiry ON idempotency_records (expires_at);

-- Replaced by idempotency_records (it stored neither a scope, nor the response, nor an expiry).
DROP TABLE idempotency_keys;
