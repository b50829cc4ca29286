package dev.roboflare.planner.output;

import dev.roboflare.planner.plan.RepoPlan;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The lines a person pastes to create and push one repo's tag. They start with a {@code cd} into the
 * clone and a checkout of the release branch, because {@code git tag -a} tags HEAD.
 */
final class TagCommands {
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private TagCommands() {
    }

    static List<String> forRepo(RepoPlan repo) {
        String tag = repo.nextTag().orElseThrow();
        return List.of(
                "cd " + shellQuote(repo.directory().toAbsolutePath().normalize().toString()),
                "git checkout " + repo.branch(),
                "git tag -a " + tag + " -m " + shellQuote(repo.tagMessage()),
                "git push origin " + tag);
    }

    /** Single-quotes anything the shell could misread; the tag message is always quoted, as in the seeds. */
    static String shellQuote(String value) {
        if (SHELL_SAFE.matcher(value).matches() && !value.contains(" ") && !value.startsWith("chore(")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
