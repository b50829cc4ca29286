package dev.roboflare.planner.version;

import dev.roboflare.planner.git.TagRef;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;

/**
 * OT-2 tags are calendar versions shared by opentrons-ot2 and buildroot, so one rule picks one tag
 * for both repos from the tags of both.
 */
public interface CalendarTagRule {
    /** Release dates are Eastern: an evening build in New York is still that day's build. */
    ZoneId RELEASE_ZONE = ZoneId.of("America/New_York");

    static LocalDate easternDate(Instant now) {
        return now.atZone(RELEASE_ZONE).toLocalDate();
    }

    TagPattern channel();

    /** @param annotatedTags annotated tags of both OT-2 repos, merged into their branches or not */
    String next(Collection<TagRef> annotatedTags);

    List<String> describe();
}
