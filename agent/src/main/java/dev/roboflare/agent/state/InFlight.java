package dev.roboflare.agent.state;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one deployment the agent is working on, persisted before each phase runs.
 *
 * @param deployment     the agent's record of the deployment (download_url may be refreshed by a poll)
 * @param phase          the persisted phase word, the same word as {@code step=} in the logs
 * @param phaseEntries   how often each phase was started (the loop guard reads this)
 * @param priorCurrent   the release that was current before this deployment switched (rollback target)
 * @param priorPrevious  the previous release before this deployment switched (restored on rollback)
 * @param downloaded     the size and SHA-256 the download measured while streaming (set before verify)
 * @param problem        why the new app had to be rolled back (set before rollback)
 * @param outcome        the decided event (set before report)
 * @param downloadErrors HTTP 4xx answers to the download so far (an expired URL is refreshed by polling)
 * @param gatedSince     when the gate first found the robot busy (format 3; null: never waited)
 * @param gateReason     why the gate waits now ("run abc running since 14:02"); null when it does not wait
 */
public record InFlight(DeploymentRecord deployment, String phase, Map<String, Integer> phaseEntries,
                       ReleaseRecord priorCurrent, ReleaseRecord priorPrevious, Measured downloaded,
                       String problem, Outcome outcome, int downloadErrors, Instant gatedSince,
                       String gateReason) {

    public record Measured(long size, String sha256) {
    }

    public static InFlight start(DeploymentRecord deployment, String firstPhase) {
        return new InFlight(deployment, firstPhase, new TreeMap<>(), null, null, null, null, null, 0, null, null);
    }

    public InFlight withPhase(String p) {
        return new InFlight(deployment, p, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, outcome,
                downloadErrors, gatedSince, gateReason);
    }

    public InFlight countEntry() {
        Map<String, Integer> m = new TreeMap<>(phaseEntries == null ? Map.of() : phaseEntries);
        m.merge(phase, 1, Integer::sum);
        return new InFlight(deployment, phase, m, priorCurrent, priorPrevious, downloaded, problem, outcome,
                downloadErrors, gatedSince, gateReason);
    }

    public int entries(String p) {
        return phaseEntries == null ? 0 : phaseEntries.getOrDefault(p, 0);
    }

    public InFlight withDeployment(DeploymentRecord d) {
        return new InFlight(d, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, outcome,
                downloadErrors, gatedSince, gateReason);
    }

    public InFlight withPrior(ReleaseRecord current, ReleaseRecord previous) {
        return new InFlight(deployment, phase, phaseEntries, current, previous, downloaded, problem, outcome,
                downloadErrors, gatedSince, gateReason);
    }

    public InFlight withDownloaded(Measured m) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, m, problem, outcome,
                downloadErrors, gatedSince, gateReason);
    }

    public InFlight withProblem(String p) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, p, outcome,
                downloadErrors, gatedSince, gateReason);
    }

    public InFlight withOutcome(Outcome o) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, o,
                downloadErrors, gatedSince, gateReason);
    }

    public InFlight withDownloadErrors(int n) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, outcome,
                n, gatedSince, gateReason);
    }

    /** Waiting at the gate since {@code since} because of {@code reason}; a null reason: no longer waiting. */
    public InFlight withGate(Instant since, String reason) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, outcome,
                downloadErrors, since, reason);
    }

    public String id() {
        return deployment.id();
    }

    public String semver() {
        return deployment.semver();
    }
}
