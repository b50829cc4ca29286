package dev.roboflare.agent.deploy;

import dev.roboflare.agent.state.InFlight;
import dev.roboflare.protocol.DeploymentStatus;

/**
 * What a phase answers: an {@link Kind} the transition table maps to the next phase, the updated in-flight
 * record, and, when the phase decided the deployment's end, the event status and detail.
 */
public record StepResult(Kind kind, InFlight flight, DeploymentStatus status, String detail) {
    public enum Kind {
        /** The phase did its job. */
        OK,
        /** The deployment cannot succeed; {@code detail} says why (reported as failed, or the rollback's end). */
        FAILED,
        /** The verified artifact is a whole OS image: it is written to the other slot, not extracted. */
        WHOLE_IMAGE,
        /** The new app is not running (it exited, or could not start): roll back. */
        APP_EXITED,
        /** Nothing decided; try the same phase again later (network down, signed URL expired). */
        RETRY_LATER,
        /** The robot is busy: ask again at the next poll (not an error, so no backoff). */
        WAIT,
        /** The loop guard stopped a phase that kept being interrupted. */
        GAVE_UP
    }

    public static StepResult ok(InFlight f) {
        return new StepResult(Kind.OK, f, null, null);
    }

    public static StepResult decided(InFlight f, DeploymentStatus status, String detail) {
        return new StepResult(status == DeploymentStatus.FAILED ? Kind.FAILED : Kind.OK, f, status, detail);
    }

    public static StepResult failed(InFlight f, String detail) {
        return new StepResult(Kind.FAILED, f, DeploymentStatus.FAILED, detail);
    }

    public static StepResult appExited(InFlight f, String problem) {
        return new StepResult(Kind.APP_EXITED, f.withProblem(problem), null, null);
    }

    public static StepResult waitFor(InFlight f) {
        return new StepResult(Kind.WAIT, f, null, null);
    }

    public static StepResult retryLater(InFlight f) {
        return new StepResult(Kind.RETRY_LATER, f, null, null);
    }
}
