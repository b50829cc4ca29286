package dev.roboflare.agent.executor;

import dev.roboflare.agent.state.DeploymentRecord;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A kind that replaces the whole OS (A/B slots): written to the inactive slot, switched to by the bootloader's
 * environment, confirmed only after the new OS booted. The deploy phases write, reboot, booted and revert call
 * these; they never name the bootloader or the image format (executor/image does).
 */
public interface WholeImage {

    /** write: checks the image (robot type, hash, signature, size) and writes it into the inactive slot. */
    String write(DeploymentRecord d, Path artifact) throws RejectedArtifactException, IOException;

    /** reboot, first half: one atomic boot environment write that makes the written slot boot next, on trial. */
    String switchSlots(DeploymentRecord d) throws IOException;

    /** Asks the robot to reboot (the reboot command); the agent is stopped by it. */
    void reboot(String why) throws IOException;

    /** booted: which OS is running now, compared with the one that ran when the switch was written. */
    Booted booted(DeploymentRecord d) throws IOException;

    /**
     * revert: points the boot environment back at the slot that ran before (upgrade_available cleared). True when
     * that slot is the one running now (the deployment can be reported), false when a reboot into it is needed.
     */
    boolean revert(DeploymentRecord d) throws IOException;

    /** What {@link #booted} found; {@code slot} is the running slot's name (the slot variable's value). */
    record Booted(Boot boot, String slot, String target) {
    }

    enum Boot {
        /** The robot has not rebooted since the switch was written. */
        NOT_YET,
        /** The new slot runs. */
        NEW_SLOT,
        /** The robot rebooted and the old slot runs: the bootloader fell back. */
        FELL_BACK
    }
}
