package dev.roboflare.planner.plan;

import dev.roboflare.planner.stack.Platform;
import dev.roboflare.planner.stack.ReleaseType;
import dev.roboflare.planner.stack.Stability;
import dev.roboflare.planner.version.BaseVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Everything the engineer chose, by flag or prompt. An empty base version means "infer it" (Flex). */
public record PlanRequest(
        Platform platform,
        ReleaseType releaseType,
        Stability stability,
        Optional<BaseVersion> baseVersion,
        Instant now,
        Path workspace) {
}
