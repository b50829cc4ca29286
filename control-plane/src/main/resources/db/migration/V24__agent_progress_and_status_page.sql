-- Live progress (issue 20), portable SQL like V1: what the robot's agent says it is doing with a dispatched
-- deployment (AgentApi.Progress, the Roboflare-Agent-Progress header of its polls: "<deployment id> downloading
-- 1048576/4194304"). Presence, like last_seen_at and agent_metrics: updated in place, never history, never a status.
ALTER TABLE robots ADD COLUMN agent_progress VARCHAR(200);
-- When it was last reported.
ALTER TABLE robots ADD COLUMN agent_progress_at BIGINT;

-- The status page names each robot's fleets; fleet_robots' key starts with the fleet, so a robot's fleets were a
-- scan of every membership.
CREATE INDEX fleet_robots_by_robot ON fleet_robots (robot_id);
