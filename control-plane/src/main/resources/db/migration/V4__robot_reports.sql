-- What robots report besides outcomes (portable SQL, like V1; one ADD COLUMN per statement for SQLite).

-- The robot's own event sequence number (AgentApi.Event.seq): rising per robot across deployments and agent
-- restarts, so a gap shows an event that never arrived and a smaller number a late one. NULL for control-plane
-- events and for agents that do not send it. Not unique: only the robot vouches for it.
ALTER TABLE deployment_events ADD COLUMN robot_seq BIGINT;

-- Presence, like last_seen_at: updated in place by each poll that carries the headers, never history.
-- Roboflare-Clock-Skew-Ms: the control plane's Date header minus the robot's clock, as the robot saw it
-- (positive: the robot is behind).
ALTER TABLE robots ADD COLUMN clock_skew_ms BIGINT;
-- Roboflare-Agent-Metrics: the agent's one-line summary (applied=3 failed=0 ... outbox=0 ...).
ALTER TABLE robots ADD COLUMN agent_metrics VARCHAR(500);
-- When those two were last reported.
ALTER TABLE robots ADD COLUMN agent_reported_at BIGINT;
