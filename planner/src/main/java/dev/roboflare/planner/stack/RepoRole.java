package dev.roboflare.planner.stack;

/** What a repository contributes to a robot release; decides which tag rule applies to it. */
public enum RepoRole {
    APP("App (taggable)"),
    ROBOT_OS("Robot OS"),
    FIRMWARE("Firmware"),
    REFERENCE("Reference only");

    private final String label;

    RepoRole(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
