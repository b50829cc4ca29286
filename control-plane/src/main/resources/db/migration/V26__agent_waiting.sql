-- Issue 22, portable SQL like V24: why the robot's update gate holds its dispatched deployment back and since when
-- (AgentApi.Waiting, the Roboflare-Agent-Waiting header next to Roboflare-Agent-Progress: "<since, epoch seconds>
-- <reason, percent-encoded>"). Presence like agent_progress: replaced by every poll that carries progress (null once
-- the gate opened), cleared when the deployment ends, never a status and never history. Null for every robot now.
ALTER TABLE robots ADD COLUMN agent_waiting VARCHAR(1000);
