package dev.roboflare.planner.version;

import dev.roboflare.planner.PlanningException;
import dev.roboflare.planner.git.TagRef;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * buildroot's external tags (robot-stack's automation; the seeds are silent): buildroot keeps its own
 * traditional line {@code vMAJOR.MINOR.PATCH} (prereleases {@code -alpha.N} / {@code -beta.N} belong to
 * it too) instead of the app's calendar version. Calendar-style tags on buildroot ({@code v26.5.0}) are
 * not part of that line. The next tag is one patch above the latest line tag merged into the branch,
 * whatever the stability: {@code v1.19.9} and {@code v1.19.9-alpha.0} both lead to {@code v1.19.10}.
 */
public final class BuildrootTraditionalTags {
    /** A v-tag of semver shape that is not an OT-2 calendar version. */
    private static final Pattern TRADITIONAL = Pattern.compile(
            "v(?!" + Ot2ExternalCalendarTags.CALENDAR_VERSION + "$)(\\d+)\\.(\\d+)\\.(\\d+)(?:-(?:alpha|beta)\\.\\d+)?");

    private BuildrootTraditionalTags() {
    }

    public static TagPattern channel() {
        return new TagPattern("vMAJOR.MINOR.PATCH (buildroot's own line)", TRADITIONAL);
    }

    public static boolean isTraditional(String tag) {
        return TRADITIONAL.matcher(tag).matches();
    }

    /**
     * @param latest the newest annotated line tag merged into {@code branch}
     * @throws PlanningException when there is none: a first buildroot external tag is not invented
     */
    public static String next(Optional<TagRef> latest, String branch, List<TagRef> calendarTagsSeen) {
        TagRef tag = latest.orElseThrow(() -> new PlanningException("buildroot: cannot suggest an external tag: no annotated"
                + " traditional vMAJOR.MINOR.PATCH tag (such as v1.19.9) is merged into " + branch + "."
                + (calendarTagsSeen.isEmpty() ? "" : " Calendar-style tags (" + calendarTagsSeen.get(0).name()
                        + (calendarTagsSeen.size() > 1 ? ", ..." : "") + ") are the app's numbering, not buildroot's line.")
                + " buildroot external tags continue buildroot's own line, so the planner will not invent one: create"
                + " buildroot's tag by hand (git tag -a vX.Y.Z -m 'chore(release): APP_TAG'), or fetch its tags if"
                + " the clone is missing them, and run go again."));
        Matcher m = TRADITIONAL.matcher(tag.name());
        if (!m.matches()) {
            throw new IllegalStateException(tag.name() + " is not a traditional buildroot tag");
        }
        return "v" + m.group(1) + "." + m.group(2) + "." + (Integer.parseInt(m.group(3)) + 1);
    }
}
