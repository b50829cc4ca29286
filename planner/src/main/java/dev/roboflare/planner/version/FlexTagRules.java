package dev.roboflare.planner.version;

import dev.roboflare.planner.git.ChannelTags;
import dev.roboflare.planner.stack.RepoRole;
import dev.roboflare.planner.stack.ReleaseType;
import dev.roboflare.planner.stack.Stability;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Next-tag rules for the Flex stack (opentrons app, oe-core robot OS, ot3-firmware).
 *
 * <p>Internal (from the seeds): app {@code ot3@X.Y.Z}, alpha {@code ot3@X.Y.Z-alpha.N}; oe-core
 * {@code internal@X.Y.Z}, alpha reuses the app's N; firmware {@code internal@vN}, max merged + 1.
 * External (robot-stack's automation at 62e72b6 and public conventions; the seeds are silent): the same
 * rules with a bare {@code v} prefix: {@code vX.Y.Z}, {@code vX.Y.Z-alpha.N}, firmware {@code vN}, counted on
 * each repo's release branch (its {@code chore_release-X.Y.Z} isolation branch where it has one).
 *
 * <p>Only annotated tags merged into the release branch count, as the seeds say for go.
 */
public final class FlexTagRules {
    private final ReleaseType releaseType;
    private final Stability stability;

    public FlexTagRules(ReleaseType releaseType, Stability stability) {
        this.releaseType = releaseType;
        this.stability = stability;
    }

    private boolean alpha() {
        return stability == Stability.UNSTABLE;
    }

    private String prefix(RepoRole role) {
        boolean internal = releaseType == ReleaseType.INTERNAL;
        return switch (role) {
            case APP -> internal ? "ot3@" : "v";
            case ROBOT_OS -> internal ? "internal@" : "v";
            case FIRMWARE -> internal ? "internal@v" : "v";
            case REFERENCE -> throw new IllegalArgumentException("reference repos are not tagged");
        };
    }

    /** The channel a repo's latest tag is looked up in: the selected release type and stability. */
    public TagPattern channel(RepoRole role) {
        String prefix = prefix(role);
        String quoted = Pattern.quote(prefix);
        if (role == RepoRole.FIRMWARE) {
            return TagPattern.of(prefix + "N", quoted + "(\\d+)");
        }
        return alpha()
                ? TagPattern.of(prefix + "X.Y.Z-alpha.N", quoted + "(\\d+)\\.(\\d+)\\.(\\d+)-alpha\\.(\\d+)")
                : TagPattern.of(prefix + "X.Y.Z", quoted + "(\\d+)\\.(\\d+)\\.(\\d+)");
    }

    /** Stable and alpha app tags both carry a base; either one counts for inference. */
    private Pattern appFamily() {
        return Pattern.compile(Pattern.quote(prefix(RepoRole.APP)) + "(\\d+)\\.(\\d+)\\.(\\d+)(?:-alpha\\.(\\d+))?");
    }

    /** Seeds: default version = highest ot3@X.Y.Z base merged into edge (alpha tags contribute their base). */
    public Optional<BaseVersion> defaultBase(ChannelTags app) {
        Pattern family = appFamily();
        return app.mergedAnnotated(family).stream()
                .map(t -> baseOf(family, t.name()))
                .max(BaseVersion::compareTo);
    }

    public String defaultBaseRule() {
        return releaseType == ReleaseType.INTERNAL
                ? "highest ot3@X.Y.Z base merged into the app's release branch"
                : "highest exact chore_release-X.Y.Z branch of opentrons, else the highest vX.Y.Z base merged into edge";
    }

    private boolean external() {
        return releaseType == ReleaseType.EXTERNAL;
    }

    /** Where the rule comes from, for each per-repo rule sentence. */
    private String source() {
        return external() ? "robot-stack automation at 62e72b6 / public conventions" : "internal-release seeds";
    }

    public String appRuleText(String branch) {
        String app = prefix(RepoRole.APP);
        return (alpha()
                ? app + "X.Y.Z-alpha.N, N = highest " + app + "X.Y.Z-alpha.N on that base merged into " + branch + " + 1 (first 0)"
                : app + "X.Y.Z if not merged into " + branch + ", otherwise one patch above the highest " + app + "X.Y.* there")
                + " (" + source() + ")";
    }

    public String robotOsRuleText(String branch) {
        String os = prefix(RepoRole.ROBOT_OS);
        return (alpha()
                ? os + "X.Y.Z-alpha.N with the app's base and N"
                : os + "X.Y.Z from the app's base if not merged into " + branch + ", otherwise one patch above the highest there")
                + " (" + source() + ")";
    }

    public String firmwareRuleText(String branch) {
        String fw = prefix(RepoRole.FIRMWARE);
        return fw + "N, one above the highest " + fw + "N merged into " + branch + " (" + source() + ")";
    }

    public String nextAppTag(ChannelTags app, BaseVersion base) {
        return alpha()
                ? prefix(RepoRole.APP) + base + "-alpha." + nextAlphaNumber(app, base)
                : nextStable(RepoRole.APP, app, base);
    }

    /** N for {@code X.Y.Z-alpha.N}: one above the highest on that base on the branch; the first alpha is 0. */
    public int nextAlphaNumber(ChannelTags app, BaseVersion base) {
        Pattern channel = Pattern.compile(Pattern.quote(prefix(RepoRole.APP)) + "(\\d+)\\.(\\d+)\\.(\\d+)-alpha\\.(\\d+)");
        OptionalInt max = app.mergedAnnotated(channel).stream()
                .map(t -> channel.matcher(t.name()))
                .filter(Matcher::matches)
                .filter(m -> baseOf(m).equals(base))
                .mapToInt(m -> Integer.parseInt(m.group(4)))
                .max();
        return max.isPresent() ? max.getAsInt() + 1 : 0;
    }

    /** oe-core takes its base from the prompted version, not its own tags; alphas reuse the app's N. */
    public String nextRobotOsTag(ChannelTags os, BaseVersion base, int appAlphaNumber) {
        return alpha()
                ? prefix(RepoRole.ROBOT_OS) + base + "-alpha." + appAlphaNumber
                : nextStable(RepoRole.ROBOT_OS, os, base);
    }

    public String nextFirmwareTag(ChannelTags firmware) {
        Pattern channel = channel(RepoRole.FIRMWARE).regex();
        int max = firmware.mergedAnnotated(channel).stream()
                .map(t -> channel.matcher(t.name()))
                .filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1)))
                .max()
                .orElse(0);
        return prefix(RepoRole.FIRMWARE) + (max + 1);
    }

    /** PREFIX X.Y.Z when absent on the branch, otherwise one patch above the highest X.Y.* there. */
    private String nextStable(RepoRole role, ChannelTags tags, BaseVersion base) {
        Pattern channel = channel(role).regex();
        List<BaseVersion> onBranch = tags.mergedAnnotated(channel).stream()
                .map(t -> baseOf(channel, t.name()))
                .toList();
        if (!onBranch.contains(base)) {
            return prefix(role) + base;
        }
        int highestPatch = onBranch.stream().filter(base::sameMinorLine).mapToInt(BaseVersion::patch).max().orElse(base.patch());
        return prefix(role) + base.withPatch(highestPatch + 1);
    }

    private static BaseVersion baseOf(Pattern pattern, String name) {
        Matcher m = pattern.matcher(name);
        if (!m.matches()) {
            throw new IllegalStateException(name + " does not match " + pattern);
        }
        return baseOf(m);
    }

    private static BaseVersion baseOf(Matcher m) {
        return new BaseVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** Human-readable statement of exactly the rules this instance applies, printed with every plan. */
    public List<String> describe() {
        String app = prefix(RepoRole.APP);
        String os = prefix(RepoRole.ROBOT_OS);
        String fw = prefix(RepoRole.FIRMWARE);
        if (!external()) {
            return List.of(
                    "Flex internal rules from the internal-release seeds.",
                    "Latest tag per repo: newest annotated tag of the channel merged into the release branch, by creator date;"
                            + " a new tag is needed when the branch tip is not that tag's commit.",
                    "Release branch: the default branch HEAD (edge, main); no chore_release branch is used.",
                    alpha()
                            ? "opentrons: " + app + "X.Y.Z-alpha.N, N = highest alpha on that base merged into edge + 1 (first is 0)."
                            : "opentrons: " + app + "X.Y.Z if not on edge, otherwise one patch above the highest " + app + "X.Y.* there.",
                    alpha()
                            ? "oe-core: " + os + "X.Y.Z-alpha.N with the same X.Y.Z and N as the app tag."
                            : "oe-core: " + os + "X.Y.Z from the same base if not on main, otherwise one patch above the highest there.",
                    "ot3-firmware: " + fw + "N, one above the highest merged " + fw + "N.",
                    "Default base: " + defaultBaseRule() + ".",
                    "Beta is not offered for Flex: beta tags are made by hand.");
        }
        return List.of(
                "Flex external rules: robot-stack's automation at 62e72b6 (go.py, flex_release_version.py) and public"
                        + " conventions (v-prefixed tags, numbered -alpha.N prereleases); the internal seeds do not specify them.",
                "Latest tag per repo: newest annotated tag of the channel merged into the release branch, by creator date;"
                        + " a new tag is needed when the branch tip is not that tag's commit.",
                "Release branch: in each repo, the isolation branch chore_release-X.Y.Z of the base when that repo has it"
                        + " (exact name; the tag goes there and its tags are counted there), otherwise the default branch"
                        + " (edge, main).",
                alpha()
                        ? "opentrons: " + app + "X.Y.Z-alpha.N, N = highest alpha on that base merged into the release branch + 1 (first is 0)."
                        : "opentrons: " + app + "X.Y.Z if not on the release branch, otherwise one patch above the highest "
                                + app + "X.Y.* there.",
                alpha()
                        ? "oe-core: " + os + "X.Y.Z-alpha.N with the same X.Y.Z and N as the app tag."
                        : "oe-core: " + os + "X.Y.Z from the same base if not on its release branch, otherwise one patch above"
                                + " the highest there.",
                "ot3-firmware: " + fw + "N, one above the highest " + fw + "N merged into its release branch.",
                "Default base: " + defaultBaseRule() + " (a candidate-, e2e-app-start- or other prefixed chore_release"
                        + " branch does not count); --version accepts X.Y.Z or vX.Y.Z.",
                "Beta is not offered for Flex: beta tags are made by hand.");
    }
}
