-- Rollout safety for fleet deployments (portable SQL, like V1). New tables instead of new columns on deployments,
-- so those rows stay exactly as they were inserted.

-- One row per fleet deployment: when to auto-halt it and, optionally, how many children go out per wave.
CREATE TABLE rollout_policies (
    deployment_id     VARCHAR(36)      NOT NULL PRIMARY KEY REFERENCES deployments (id),
    max_failure_ratio DOUBLE PRECISION NOT NULL,
    -- The ratio is only judged once this many children have an outcome from their robot.
    min_finished      INTEGER          NOT NULL,
    batch_size        INTEGER
);

-- The wave of each child of a batched fleet deployment (0 first). Children of later waves stay queued until the
-- RolloutGate dispatches them; the scheduler only ever dispatches wave 0.
CREATE TABLE rollout_waves (
    deployment_id VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES deployments (id),
    parent_id     VARCHAR(36) NOT NULL REFERENCES deployments (id),
    wave          INTEGER     NOT NULL
);
CREATE INDEX rollout_waves_by_parent ON rollout_waves (parent_id, wave);

-- Quarantine lookups: has this robot rolled back this release?
CREATE INDEX deployments_by_release_robot ON deployments (release_id, robot_id);
