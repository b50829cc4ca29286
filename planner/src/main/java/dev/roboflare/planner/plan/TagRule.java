package dev.roboflare.planner.plan;

import java.util.Optional;

/**
 * Which rule chose a repo's next tag, so a reviewer can check the plan against its source.
 *
 * @param id           stable identifier, e.g. {@code flex_external_app_alpha}, {@code ot2_external_buildroot_line}
 * @param branchSource {@code chore_release} when the tag goes on a Flex external isolation branch,
 *                     {@code default} when it goes on the repo's default branch
 * @param base         the base the tag is built on: {@code 9.1.0} (Flex), {@code 26.5.1} (OT-2 external
 *                     monthly build), {@code 2026-05-26} (OT-2 internal day), the tag {@code v1.19.9}
 *                     (buildroot's line), or empty (firmware counter, or no buildroot line tag)
 * @param baseSource   where the base came from: {@code branch} (highest chore_release-X.Y.Z branch),
 *                     {@code tags} (tags merged into the branch), {@code given} (--version or the prompt),
 *                     {@code date} (the America/New_York date and the tags of that day/month),
 *                     {@code latest_tag} (buildroot's latest line tag), {@code counter} (firmware vN)
 * @param baseFrom     the branch, tag, flag or date the base was read from
 * @param text         one sentence stating the rule and where it comes from
 */
public record TagRule(String id, String branchSource, Optional<String> base, String baseSource, String baseFrom, String text) {

    /** Short form for the text table: "branch chore_release-9.1.0, base 9.1.0", "after v1.19.9", "calendar, base 26.5.1". */
    public String brief() {
        String where = switch (baseSource) {
            case "branch" -> "branch " + baseFrom;
            case "tags" -> "tags on " + baseFrom;
            case "latest_tag" -> base.map(tag -> "line after " + tag).orElse("no line tag");
            case "counter" -> "counter on " + baseFrom;
            case "date" -> "calendar";
            default -> baseSource;
        };
        return baseSource.equals("latest_tag") ? where : base.map(b -> where + ", base " + b).orElse(where);
    }
}
