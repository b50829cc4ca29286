package dev.roboflare.planner.stack;

/**
 * The GitHub Actions runs a pushed app tag sets off (seeds, "Track release builds"): the app workflow
 * and the kickoff dispatch in the app repo, and the robot OS build it dispatches in the robot OS repo.
 * {@code slackLabel} names the robot OS link of the Slack copy block.
 */
public record BuildPipeline(
        Platform platform,
        String appRepo,
        String appWorkflow,
        String kickoffWorkflow,
        String robotOsRepo,
        String slackLabel) {

    public static final String APP_WORKFLOW = "App test, build, and deploy";

    public static BuildPipeline of(Platform platform) {
        StackDefinition stack = StackDefinition.of(platform);
        String app = stack.app().name();
        String robotOs = stack.repo(RepoRole.ROBOT_OS).name();
        return switch (platform) {
            case FLEX -> new BuildPipeline(platform, app, APP_WORKFLOW, "Start Flex build", robotOs, "flex");
            case OT2 -> new BuildPipeline(platform, app, APP_WORKFLOW, "Start OT-2 build", robotOs, "ot2");
        };
    }
}
