-- Issue 22: a deployment created with "force": true also tells the robot to skip its update gate (the app's update
-- lock, the robot's run state, its maintenance windows). 0/1 rather than BOOLEAN: the same SQL on SQLite and
-- PostgreSQL. Existing deployments were not forced.
ALTER TABLE deployments ADD COLUMN forced INTEGER NOT NULL DEFAULT 0;
