package dev.roboflare.planner.testing;

import java.nio.file.Path;

/** A workspace of local clones laid out as the planner expects: one directory per stack repo. */
public final class StackFixture {
    private StackFixture() {
    }

    public record Flex(Path workspace, GitFixture firmware, GitFixture oeCore, GitFixture opentrons) {
    }

    public record Ot2(Path workspace, GitFixture buildroot, GitFixture app) {
    }

    public static Flex flex(Path workspace) {
        return new Flex(workspace,
                GitFixture.init(workspace.resolve("ot3-firmware"), "main"),
                GitFixture.init(workspace.resolve("oe-core"), "main"),
                GitFixture.init(workspace.resolve("opentrons"), "edge"));
    }

    public static Ot2 ot2(Path workspace) {
        return new Ot2(workspace,
                GitFixture.init(workspace.resolve("buildroot"), "opentrons-develop"),
                GitFixture.init(workspace.resolve("opentrons-ot2"), "edge"));
    }
}
