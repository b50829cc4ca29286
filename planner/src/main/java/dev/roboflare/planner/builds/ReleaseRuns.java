package dev.roboflare.planner.builds;

import dev.roboflare.planner.github.WorkflowRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The three runs a release tag sets off, each found or not yet. */
public record ReleaseRuns(Optional<WorkflowRun> app, Optional<WorkflowRun> kickoff, Optional<WorkflowRun> robotOs) {

    public boolean complete() {
        return app.isPresent() && kickoff.isPresent() && robotOs.isPresent();
    }

    /** Names of the runs still missing, for messages: "app", "kickoff", "robot OS". */
    public List<String> missing() {
        List<String> names = new ArrayList<>();
        if (app.isEmpty()) {
            names.add("app");
        }
        if (kickoff.isEmpty()) {
            names.add("kickoff");
        }
        if (robotOs.isEmpty()) {
            names.add("robot OS");
        }
        return names;
    }
}
