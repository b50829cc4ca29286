package dev.roboflare.agent.state;

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
 */
public record InFlight(DeploymentRecord deployment, String phase, Map<String, Integer> phaseEntries,
                       ReleaseRecord priorCurrent, ReleaseRecord priorPrevious, Measured downloaded,
                       String problem, Outcome outcome, int downloadErrors) {

    public record Measured(long size, String sha256) {
    }

    public static InFlight start(DeploymentRecord deployment, String firstPhase) {
        return new InFlight(deployment, firstPhase, new TreeMap<>(), null, null, null, null, null, 0);
    }

    public InFlight withPhase(String p) {
        return new InFlight(deployment, p, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, outcome,
                downloadErrors);
    }

    public InFlight countEntry() {
        Map<String, Integer> m = new TreeMap<>(phaseEntries == null ? Map.of() : phaseEntries);
        m.merge(phase, 1, Integer::sum);
        return new InFlight(deployment, phase, m, priorCurrent, priorPrevious, downloaded, problem, outcome,
                downloadErrors);
    }

    public int entries(String p) {
        return phaseEntries == null ? 0 : phaseEntries.getOrDefault(p, 0);
    }

    public InFlight withDeployment(DeploymentRecord d) {
        return new InFlight(d, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, outcome,
                downloadErrors);
    }

    public InFlight withPrior(ReleaseRecord current, ReleaseRecord previous) {
        return new InFlight(deployment, phase, phaseEntries, current, previous, downloaded, problem, outcome,
                downloadErrors);
    }

    public InFlight withDownloaded(Measured m) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, m, problem, outcome,
                downloadErrors);
    }

    public InFlight withProblem(String p) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, p, outcome,
                downloadErrors);
    }

    public InFlight withOutcome(Outcome o) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, o,
                downloadErrors);
    }

    public InFlight withDownloadErrors(int n) {
        return new InFlight(deployment, phase, phaseEntries, priorCurrent, priorPrevious, downloaded, problem, outcome,
                n);
    }

    public String id() {
        return deployment.id();
    }

    public String semver() {
        return deployment.semver();
    }
}
