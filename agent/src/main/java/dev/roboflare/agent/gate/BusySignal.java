package dev.roboflare.agent.gate;

import java.time.Instant;

/** One way the robot says it must not be disturbed (a command, robot-server's run state, a maintenance window). */
interface BusySignal {
    Verdict check(Instant now);
}
