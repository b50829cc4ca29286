package dev.roboflare.planner.version;

import dev.roboflare.planner.PlanningException;
import dev.roboflare.planner.git.TagRef;
import dev.roboflare.planner.stack.Stability;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OT-2 external app tags as robot-stack's automation allocates them (ot2_tag_allocation.py at 62e72b6;
 * the seeds only say external prereleases are numbered on the monthly build base):
 *
 * <ul>
 *   <li>shape {@code vYY.M.N[-alpha.K|-beta.K]}: two-digit year, month 1-12, one-digit monthly build N
 *       (0-9), K up to three digits; other v-tags are not calendar tags and are ignored;</li>
 *   <li>stable: N = highest N used this Eastern month by <em>any</em> tag, prerelease-only builds
 *       included, + 1, first 0 ({v26.5.0, v26.5.1-alpha.0} gives v26.5.2);</li>
 *   <li>alpha: on the highest N that already has alphas this month (v26.6.0-alpha.0 + v26.6.0 gives
 *       v26.6.0-alpha.1), else on the next N (v26.5.0 gives v26.5.1-alpha.0);</li>
 *   <li>beta: on the highest N that already has betas (v26.5.1-beta.0 gives v26.5.1-beta.1), else on the
 *       highest N with alphas (v26.5.1-alpha.0 gives v26.5.1-beta.0), else on the next N;</li>
 *   <li>K = highest K of that label on that N + 1, first 0; an N above 9 is refused.</li>
 * </ul>
 */
public final class Ot2ExternalCalendarTags implements CalendarTagRule {
    /** YY.M.N with optional numbered prerelease, without the v (shared with buildroot's line filter). */
    static final String CALENDAR_VERSION = "\\d{2}\\.(?:[1-9]|1[0-2])\\.[0-9](?:-(?:alpha|beta)\\.\\d{1,3})?";
    private static final Pattern CALENDAR = Pattern.compile("v(\\d{2})\\.([1-9]|1[0-2])\\.([0-9])(?:-(alpha|beta)\\.(\\d{1,3}))?");
    static final int MAX_MONTHLY_BUILD = 9;

    private final Stability stability;
    private final LocalDate easternDate;

    public Ot2ExternalCalendarTags(Stability stability, LocalDate easternDate) {
        this.stability = stability;
        this.easternDate = easternDate;
    }

    public static boolean isCalendar(String tag) {
        return CALENDAR.matcher(tag).matches();
    }

    private Optional<String> label() {
        return stability.prereleaseLabel();
    }

    @Override
    public TagPattern channel() {
        String base = "v\\d{2}\\.(?:[1-9]|1[0-2])\\.[0-9]";
        return label()
                .map(l -> TagPattern.of("vYY.M.N-" + l + ".K", base + "-" + l + "\\.\\d{1,3}"))
                .orElse(TagPattern.of("vYY.M.N", base));
    }

    private int year() {
        return easternDate.getYear() % 100;
    }

    private int month() {
        return easternDate.getMonthValue();
    }

    /** The monthly build N the next tag of this stability goes on (may exceed 9; {@link #next} refuses it). */
    public int monthlyBuild(Collection<TagRef> annotatedTags) {
        int highestUsed = highestN(annotatedTags, null, false).orElse(-1);
        if (label().isEmpty()) {
            return highestUsed + 1;
        }
        OptionalInt sameLabel = highestN(annotatedTags, label().get(), true);
        if (sameLabel.isPresent()) {
            return sameLabel.getAsInt();
        }
        if (label().get().equals("beta")) {
            OptionalInt alphas = highestN(annotatedTags, "alpha", true);
            if (alphas.isPresent()) {
                return alphas.getAsInt();
            }
        }
        return highestUsed + 1;
    }

    /** Highest N this month; with {@code onlyLabel}, only among tags carrying that prerelease label. */
    private OptionalInt highestN(Collection<TagRef> tags, String label, boolean onlyLabel) {
        return tags.stream().map(t -> CALENDAR.matcher(t.name())).filter(Matcher::matches)
                .filter(this::sameMonth)
                .filter(m -> !onlyLabel || label.equals(m.group(4)))
                .mapToInt(m -> Integer.parseInt(m.group(3)))
                .max();
    }

    public String baseDisplay(Collection<TagRef> annotatedTags) {
        return year() + "." + month() + "." + monthlyBuild(annotatedTags);
    }

    @Override
    public String next(Collection<TagRef> annotatedTags) {
        int n = monthlyBuild(annotatedTags);
        if (n > MAX_MONTHLY_BUILD) {
            throw new PlanningException("OT-2 external builds for " + easternDate.getYear() + "-"
                    + String.format("%02d", month()) + " (America/New_York) are used up: v" + year() + "." + month() + "."
                    + MAX_MONTHLY_BUILD + " is taken, and vYY.M.N allows monthly builds 0-" + MAX_MONTHLY_BUILD
                    + " (more than 10 external releases in a month). Wait for the next Eastern month or choose a tag by hand.");
        }
        String base = "v" + year() + "." + month() + "." + n;
        if (label().isEmpty()) {
            return base;
        }
        int highestK = annotatedTags.stream().map(t -> CALENDAR.matcher(t.name())).filter(Matcher::matches)
                .filter(this::sameMonth)
                .filter(m -> Integer.parseInt(m.group(3)) == n && label().get().equals(m.group(4)))
                .mapToInt(m -> Integer.parseInt(m.group(5)))
                .max().orElse(-1);
        return base + "-" + label().get() + "." + (highestK + 1);
    }

    private boolean sameMonth(Matcher m) {
        return Integer.parseInt(m.group(1)) == year() && Integer.parseInt(m.group(2)) == month();
    }

    /** One sentence: how this stability's N and K are chosen. */
    public String ruleText() {
        return label().map(l -> "v" + year() + "." + month() + ".N-" + l + ".K: N = highest monthly build that already has "
                        + l + " tags" + (l.equals("beta") ? " (else the highest with alpha tags)" : "")
                        + ", else the next unused N; K = highest " + l + " K on that N + 1, first 0")
                .orElse("v" + year() + "." + month() + ".N: N = highest monthly build used this month by any tag,"
                        + " prerelease-only builds included, + 1, first 0");
    }

    @Override
    public List<String> describe() {
        return List.of(
                "OT-2 external rules: robot-stack's automation (ot2_tag_allocation.py, go.py at 62e72b6), not the"
                        + " internal seeds (public conventions: they give only the command and how internal differs).",
                "Latest tag per repo: newest annotated tag of the channel merged into the release branch, by creator date;"
                        + " a new tag is needed when the branch tip is not that tag's commit. OT-2 always tags default-branch"
                        + " HEAD (no chore_release branch).",
                "opentrons-ot2: " + ruleText() + ", counted over the annotated vYY.M.N tags of opentrons-ot2 (merged or not)"
                        + " for the America/New_York month of " + easternDate + "; N is 0-9.",
                "buildroot: its own traditional line vMAJOR.MINOR.PATCH, one patch above the latest line tag merged into"
                        + " opentrons-develop (a prerelease such as v1.19.9-alpha.0 counts as the latest: next v1.19.10);"
                        + " calendar-style tags (v26.5.0) are ignored there; with no line tag the plan is refused.");
    }
}
