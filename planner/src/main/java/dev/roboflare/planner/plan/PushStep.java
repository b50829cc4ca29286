package dev.roboflare.planner.plan;

/** One tag push, numbered in the order the seeds require: dependent stack repos first, the app last. */
public record PushStep(int step, String repo, String tag) {
}
