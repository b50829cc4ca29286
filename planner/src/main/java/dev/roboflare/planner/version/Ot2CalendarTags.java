package dev.roboflare.planner.version;

import dev.roboflare.planner.PlanningException;
import dev.roboflare.planner.git.TagRef;
import dev.roboflare.planner.stack.Stability;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OT-2 internal tags {@code internal@YY.M.DNN[-alpha|-beta]} (from the seeds): YY.M is the Eastern
 * year and month, DNN = day * 100 + build, build 1-99 per day and per suffix.
 */
public final class Ot2CalendarTags implements CalendarTagRule {
    static final int MAX_BUILDS_PER_DAY = 99;
    private static final Pattern ANY_INTERNAL = Pattern.compile("internal@(\\d+)\\.(\\d+)\\.(\\d+)(-alpha|-beta)?");

    private final Stability stability;
    private final LocalDate easternDate;

    public Ot2CalendarTags(Stability stability, LocalDate easternDate) {
        this.stability = stability;
        this.easternDate = easternDate;
    }

    /** Bare suffix, never numbered: same-day rebuilds bump DNN instead. */
    private String suffix() {
        return stability.prereleaseLabel().map(label -> "-" + label).orElse("");
    }

    @Override
    public TagPattern channel() {
        return TagPattern.of("internal@YY.M.DNN" + suffix(), "internal@(\\d+)\\.(\\d+)\\.(\\d+)" + Pattern.quote(suffix()));
    }

    @Override
    public String next(Collection<TagRef> annotatedTags) {
        int year = easternDate.getYear() % 100;
        int month = easternDate.getMonthValue();
        int day = easternDate.getDayOfMonth();
        int highestBuild = 0;
        for (TagRef tag : annotatedTags) {
            Matcher m = ANY_INTERNAL.matcher(tag.name());
            if (!m.matches() || !suffix().equals(m.group(4) == null ? "" : m.group(4))) {
                continue;
            }
            int dnn = Integer.parseInt(m.group(3));
            if (Integer.parseInt(m.group(1)) == year && Integer.parseInt(m.group(2)) == month && dnn / 100 == day) {
                highestBuild = Math.max(highestBuild, dnn % 100);
            }
        }
        int build = highestBuild + 1;
        if (build > MAX_BUILDS_PER_DAY) {
            throw new PlanningException("OT-2 internal" + (suffix().isEmpty() ? " stable" : " " + suffix().substring(1))
                    + " builds for " + easternDate + " (America/New_York) are used up: internal@" + year + "." + month + "."
                    + (day * 100 + MAX_BUILDS_PER_DAY) + suffix() + " is build " + MAX_BUILDS_PER_DAY
                    + ", and DNN = day*100 + build only allows builds 1-" + MAX_BUILDS_PER_DAY
                    + " per day. A 100th build would roll into the next day's number; wait for the next Eastern day"
                    + " or choose a tag by hand.");
        }
        return "internal@" + year + "." + month + "." + (day * 100 + build) + suffix();
    }

    @Override
    public List<String> describe() {
        return List.of(
                "OT-2 internal rules from the internal-release seeds.",
                "Latest tag per repo: newest annotated tag of the channel merged into the release branch, by creator date;"
                        + " a new tag is needed when the branch tip is not that tag's commit.",
                "Tag: internal@YY.M.DNN" + suffix() + " for the America/New_York date " + easternDate
                        + "; DNN = day*100 + build, build = highest same-day build with the same suffix"
                        + " (annotated tags in opentrons-ot2 and buildroot) + 1, first build 1, at most 99.",
                "Alpha and beta use a bare -alpha / -beta suffix, not -alpha.N.",
                "buildroot gets the same tag as opentrons-ot2 when its branch is ahead of its latest tag.");
    }
}
