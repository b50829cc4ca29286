package dev.roboflare.planner.version;

import dev.roboflare.planner.git.TagRef;
import dev.roboflare.planner.stack.Stability;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OT-2 external tags, following the public convention because the internal seeds only say how they
 * differ: {@code vYY.M.N} for the Eastern year and month, N counting that month's releases from 0,
 * and numbered prereleases {@code vYY.M.N-alpha.K} / {@code -beta.K} on the release being prepared
 * (the month's next N), K counting from 0.
 */
public final class Ot2ExternalCalendarTags implements CalendarTagRule {
    private static final Pattern ANY_EXTERNAL = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)(?:-(alpha|beta)\\.(\\d+))?");

    private final Stability stability;
    private final LocalDate easternDate;

    public Ot2ExternalCalendarTags(Stability stability, LocalDate easternDate) {
        this.stability = stability;
        this.easternDate = easternDate;
    }

    private Optional<String> label() {
        return stability.prereleaseLabel();
    }

    @Override
    public TagPattern channel() {
        return label()
                .map(l -> TagPattern.of("vYY.M.N-" + l + ".K", "v(\\d+)\\.(\\d+)\\.(\\d+)-" + l + "\\.(\\d+)"))
                .orElse(TagPattern.of("vYY.M.N", "v(\\d+)\\.(\\d+)\\.(\\d+)"));
    }

    @Override
    public String next(Collection<TagRef> annotatedTags) {
        int year = easternDate.getYear() % 100;
        int month = easternDate.getMonthValue();
        int highestRelease = -1;
        for (TagRef tag : annotatedTags) {
            Matcher m = ANY_EXTERNAL.matcher(tag.name());
            if (m.matches() && m.group(4) == null && sameMonth(m, year, month)) {
                highestRelease = Math.max(highestRelease, Integer.parseInt(m.group(3)));
            }
        }
        int release = highestRelease + 1;
        String base = "v" + year + "." + month + "." + release;
        if (label().isEmpty()) {
            return base;
        }
        int highestPre = -1;
        for (TagRef tag : annotatedTags) {
            Matcher m = ANY_EXTERNAL.matcher(tag.name());
            if (m.matches() && label().get().equals(m.group(4)) && sameMonth(m, year, month)
                    && Integer.parseInt(m.group(3)) == release) {
                highestPre = Math.max(highestPre, Integer.parseInt(m.group(5)));
            }
        }
        return base + "-" + label().get() + "." + (highestPre + 1);
    }

    private static boolean sameMonth(Matcher m, int year, int month) {
        return Integer.parseInt(m.group(1)) == year && Integer.parseInt(m.group(2)) == month;
    }

    @Override
    public List<String> describe() {
        return List.of(
                "OT-2 external rules: public conventions, not from the internal seeds (which give only the command"
                        + " and how internal differs).",
                "Latest tag per repo: newest annotated tag of the channel merged into the release branch, by creator date;"
                        + " a new tag is needed when the branch tip is not that tag's commit.",
                "Stable: vYY.M.N for the America/New_York month of " + easternDate
                        + ", N = highest stable N that month (annotated tags in opentrons-ot2 and buildroot) + 1, first 0.",
                "Alpha/beta: numbered prereleases vYY.M.N-alpha.K / vYY.M.N-beta.K on the month's next N, K from 0.",
                "buildroot gets the same tag as opentrons-ot2 when its branch is ahead of its latest tag.");
    }
}
