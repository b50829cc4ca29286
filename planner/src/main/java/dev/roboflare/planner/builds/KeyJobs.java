package dev.roboflare.planner.builds;

import dev.roboflare.planner.github.WorkflowJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks the jobs worth a row (seeds: "deploy, desktop builds, dispatch spawn, robot image build"):
 * app run jobs named *deploy* or *build*; every job of the kickoff run (it only dispatches); robot OS
 * run jobs named *build* or *image*, or all of them when none is so named.
 */
public final class KeyJobs {
    public static final String DEPLOY = "deploy";
    public static final String DESKTOP_BUILD = "desktop build";
    public static final String DISPATCH = "dispatch spawn";
    public static final String ROBOT_IMAGE = "robot image build";

    private KeyJobs() {
    }

    public record KeyJob(String run, String kind, WorkflowJob job) {
    }

    public static List<KeyJob> ofApp(List<WorkflowJob> jobs) {
        List<KeyJob> key = new ArrayList<>();
        for (WorkflowJob job : jobs) {
            String name = lower(job.name());
            if (name.contains("deploy")) {
                key.add(new KeyJob("app", DEPLOY, job));
            } else if (name.contains("build")) {
                key.add(new KeyJob("app", DESKTOP_BUILD, job));
            }
        }
        return key;
    }

    public static List<KeyJob> ofKickoff(List<WorkflowJob> jobs) {
        return jobs.stream().map(job -> new KeyJob("kickoff", DISPATCH, job)).toList();
    }

    public static List<KeyJob> ofRobotOs(List<WorkflowJob> jobs) {
        List<KeyJob> key = jobs.stream()
                .filter(job -> lower(job.name()).contains("build") || lower(job.name()).contains("image"))
                .map(job -> new KeyJob("robot OS", ROBOT_IMAGE, job)).toList();
        return key.isEmpty() ? jobs.stream().map(job -> new KeyJob("robot OS", ROBOT_IMAGE, job)).toList() : key;
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
