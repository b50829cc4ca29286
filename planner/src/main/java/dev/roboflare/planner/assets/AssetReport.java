package dev.roboflare.planner.assets;

import dev.roboflare.planner.stack.ReleaseTag;
import java.util.List;

/** The published-assets check of one tag. */
public record AssetReport(ReleaseTag tag, String baseUrl, List<AssetCheck> checks) {

    /** Every expected file lists the version. */
    public boolean allExpectedPresent() {
        return checks.stream().filter(AssetCheck::expected).allMatch(AssetCheck::present);
    }
}
