-- Issue 19: the RolloutGate's running counts per fleet deployment (portable SQL, like V3). Each child outcome
-- updates its parent's row in the outcome's own transaction, so judging a report reads one row instead of every
-- child (100,000 at scale, while holding the parent's lock). A fleet deployment created before this version has
-- no row; the gate makes it from one full read of the children on that fleet's next outcome.
CREATE TABLE rollout_tallies (
    deployment_id VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES deployments (id),
    -- Children with an outcome from their robot, and how many of those failed or rolled back.
    finished      INTEGER     NOT NULL,
    bad           INTEGER     NOT NULL,
    -- Batched rollouts (rollout_waves): the wave out now (0 first), the number of waves, and how many children of
    -- the wave out now have no final status yet; the next wave goes out when that reaches 0. Unbatched: 0, 0, 0.
    wave          INTEGER     NOT NULL,
    waves         INTEGER     NOT NULL,
    open_in_wave  INTEGER     NOT NULL
);
