package dev.roboflare.agent.deploy;

import dev.roboflare.agent.state.InFlight;
import java.io.IOException;

/** One phase's job. Steps never decide the next phase: they answer a {@link StepResult}, the table decides. */
interface Step {
    StepResult run(DeployContext ctx, InFlight flight) throws IOException;
}
