package dev.roboflare.agent;

import dev.roboflare.agent.client.Backoff;
import dev.roboflare.agent.client.LiveProgress;
import dev.roboflare.agent.client.ControlPlaneClient;
import dev.roboflare.agent.client.PollInterval;
import dev.roboflare.agent.deploy.DeployContext;
import dev.roboflare.agent.deploy.DeploymentMachine;
import dev.roboflare.agent.deploy.Phase;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.launcher.AppStatus;
import dev.roboflare.agent.launcher.LaunchException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.metrics.AgentMetrics;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.agent.state.StateRecovery;
import dev.roboflare.agent.systemd.SdNotify;
import dev.roboflare.protocol.AgentApi;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The main loop, on one thread: deliver pending events, poll, take the oldest deployment not yet finished, run it
 * through the {@link DeploymentMachine}, repeat. When idle it makes sure the current release's app runs.
 */
public final class Agent {
    private final ControlPlaneClient client;
    private final DeployContext ctx;
    private final DeploymentMachine machine;
    private final PollInterval pollInterval;
    private final Backoff pollBackoff;
    private final Backoff workBackoff;
    private final Backoff outboxBackoff;
    private final Backoff diskBackoff;
    private long outboxDueAt;
    private String lastSuperviseError;
    private volatile boolean stopped;

    public Agent(ControlPlaneClient client, DeployContext ctx, DeploymentMachine machine, Duration pollInterval,
                 Duration maxBackoff) {
        this.client = client;
        this.ctx = ctx;
        this.machine = machine;
        this.pollInterval = new PollInterval(pollInterval);
        Duration base = pollInterval.compareTo(Duration.ofSeconds(1)) < 0 ? pollInterval : Duration.ofSeconds(1);
        this.pollBackoff = new Backoff(base, maxBackoff);
        this.workBackoff = new Backoff(base, maxBackoff);
        this.outboxBackoff = new Backoff(base, maxBackoff);
        this.diskBackoff = new Backoff(base, maxBackoff);
    }

    /** Asks the loop to end after the current step (tests; the daemon simply runs until killed). */
    public void stop() {
        stopped = true;
    }

    public void run() throws IOException {
        AgentState s = ctx.state();
        Log.info().kv("step", "start").kv("outcome", "ok")
                .kv("current", s.current() == null ? "none" : s.current().semver())
                .kv("in_flight", s.inFlight() == null ? null : s.inFlight().id() + "@" + s.inFlight().phase())
                .kv("outbox", ctx.outbox().depth()).emit();
        logAdoption();
        boolean retryLater = false;
        if (s.inFlight() != null) {
            try {
                retryLater = machine.resume() == DeploymentMachine.End.RETRY_LATER;
            } catch (IOException e) {
                retryLater = true;
                sleep(cannotWrite(e));
            }
            if (!retryLater) {
                deliverEvents(true);
            }
        }
        while (!stopped) {
            try {
                retryLater = iteration(retryLater);
                diskBackoff.reset();
            } catch (IOException e) {
                retryLater = ctx.state().inFlight() != null; // resume from the last phase that reached the disk
                sleep(cannotWrite(e));
            }
        }
    }

    /**
     * state.json or an outbox file could not be written (a full disk, most likely). Not a reason to exit: systemd
     * would only restart the agent into the same full disk. What was persisted last still holds; the app keeps
     * running (nothing here stops it), and the loop tries again with backoff. Loud on every attempt.
     */
    private Duration cannotWrite(IOException e) {
        Duration wait = diskBackoff.next();
        long free = -1;
        try {
            free = java.nio.file.Files.getFileStore(ctx.stateDir()).getUsableSpace();
        } catch (IOException | RuntimeException ignored) {
            // the free-space figure is only for the log line
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean full = why.contains("No space left") || why.contains("Disk quota");
        Log.error().kv("step", "persist").kv("outcome", full ? "disk-full" : "write-failed")
                .kv("in_flight", ctx.state().inFlight() == null ? null
                        : ctx.state().inFlight().id() + "@" + ctx.state().inFlight().phase())
                .kv("free_bytes", free < 0 ? null : free).kv("retry_in", wait)
                .msg("cannot write the agent's state (state.json or an outbox event) in " + ctx.stateDir() + ": "
                        + why + "; the running app is left alone, nothing is lost, retrying in " + wait.toMillis()
                        + " ms. Free space on that file system.")
                .emit();
        SdNotify.current().status((full ? "disk full" : "cannot write state") + " in " + ctx.stateDir()
                + "; retrying");
        return wait;
    }

    /** One turn of the loop; answers whether the in-flight deployment asked to be retried later. */
    private boolean iteration(boolean retryLater) throws IOException {
        if (!retryLater) {
            deliverEvents(false);
        }
        AgentApi.Poll poll = null;
        try {
            poll = client.poll();
            pollBackoff.reset();
        } catch (IOException e) {
            // logged once by the client (unreachable / error); the robot's own work goes on
            AgentMetrics.current().pollError();
        } catch (RuntimeException e) {
            AgentMetrics.current().pollError();
            Log.warn().kv("step", "poll").kv("outcome", "unreadable").msg("the control plane's answer could not be "
                    + "read: " + e.getMessage()).emit();
        }
        Duration sleep;
        SdNotify.current().kick();
        if (ctx.state().inFlight() != null) {
            AgentApi.Deployment refreshed = poll == null ? null : find(poll, ctx.state().inFlight().id());
            boolean withdrawn = poll != null && refreshed == null
                    && Phase.GATE.word().equals(ctx.state().inFlight().phase());
            DeploymentMachine.End end = withdrawn ? machine.withdrawnAtGate() : machine.proceed(refreshed);
            retryLater = end == DeploymentMachine.End.RETRY_LATER;
            sleep = retryLater ? workBackoff.next() : end == DeploymentMachine.End.WAITING ? pollSleep(poll)
                    : Duration.ZERO;
        } else if (poll != null && ctx.state().rebuilt()) {
            retryLater = judgeLost(poll);
            sleep = Duration.ZERO;
        } else if (poll != null && nextNew(poll) != null) {
            DeploymentMachine.End end = machine.begin(nextNew(poll));
            retryLater = end == DeploymentMachine.End.RETRY_LATER;
            sleep = retryLater ? workBackoff.next() : end == DeploymentMachine.End.WAITING ? pollSleep(poll)
                    : Duration.ZERO;
        } else {
            retryLater = false;
            LiveProgress.current().clear(); // nothing in flight: polls carry no progress
            SdNotify.current().status(ctx.state().current() == null ? "idle, no release installed"
                    : "idle, running release " + ctx.state().current().semver());
            superviseApp();
            sleep = pollSleep(poll);
        }
        if (!retryLater && sleep.isZero()) {
            workBackoff.reset();
            deliverEvents(true);
            return false; // a deployment just finished: look for the next one at once
        }
        sleep(sleep);
        return retryLater;
    }

    /** Until the next poll: the interval, or the backoff while the control plane does not answer. */
    private Duration pollSleep(AgentApi.Poll poll) {
        return poll == null ? pollBackoff.next() : pollInterval.next(poll);
    }

    /**
     * The first poll after state.json was rebuilt: the oldest dispatched deployment without an event in the outbox
     * is the one that was in flight, if it left traces on the disk; it is reported failed, never redone.
     */
    private boolean judgeLost(AgentApi.Poll poll) throws IOException {
        superviseApp(); // the rebuilt state knows no app: a leftover copy of the current one is stopped and restarted
        Set<String> reported = new HashSet<>();
        ctx.outbox().pending().forEach(e -> reported.add(e.deploymentId()));
        AgentApi.Deployment first = poll.deployments() == null ? null : poll.deployments().stream()
                .filter(d -> d != null && d.id() != null && !reported.contains(d.id())).findFirst().orElse(null);
        String phase = first == null ? null
                : StateRecovery.tracePhase(ctx.stateDir(), DeploymentRecord.of(first));
        AgentState s = ctx.state();
        for (String id : reported) { // reported before the loss: finished, whatever happens next
            s = s.finish(id);
        }
        if (phase == null) {
            ctx.save(s.judged());
            return false;
        }
        ctx.save(s);
        return machine.lost(first, phase) == DeploymentMachine.End.RETRY_LATER;
    }

    private AgentApi.Deployment nextNew(AgentApi.Poll poll) {
        if (poll.deployments() == null) {
            return null;
        }
        for (AgentApi.Deployment d : poll.deployments()) {
            if (d != null && d.id() != null && !ctx.state().isFinished(d.id())) {
                return d;
            }
        }
        return null;
    }

    private static AgentApi.Deployment find(AgentApi.Poll poll, String id) {
        if (poll.deployments() == null) {
            return null;
        }
        return poll.deployments().stream().filter(d -> d != null && id.equals(d.id())).findFirst().orElse(null);
    }

    private void deliverEvents(boolean now) {
        if (!now && System.nanoTime() < outboxDueAt) {
            return;
        }
        try {
            if (ctx.outbox().drain(client::postEvent)) {
                outboxBackoff.reset();
                outboxDueAt = 0;
            } else {
                outboxDueAt = System.nanoTime() + outboxBackoff.next().toNanos();
            }
        } catch (IOException e) {
            Log.error().kv("step", "deliver").kv("outcome", "outbox-error").msg(e.getMessage()).emit();
        }
    }

    /** With no deployment in flight, the current release's app must run: re-adopt it, or start it. */
    void superviseApp() throws IOException {
        AgentState s = ctx.state();
        ReleaseRecord cur = s.current();
        if (cur == null) {
            return;
        }
        AppRecord app = s.app();
        if (app != null && cur.id().equals(app.releaseId())) {
            AppStatus st = ctx.launcher().status(app);
            if (st.running()) {
                return;
            }
            Log.warn().kv("release", cur.semver()).kv("step", "supervise").kv("outcome", "exited")
                    .kv("exit_code", st.exitCode()).kv("pid", app.pid()).msg("the app " + st.how() + "; starting it again")
                    .emit();
        }
        try {
            AppRecord started = ctx.launcher().start(cur);
            try {
                ctx.save(ctx.state().withApp(started));
            } catch (IOException e) {
                // the app runs: remember it in memory so it is not started twice; the next save writes it down
                ctx.keepUnsaved(ctx.state().withApp(started));
                throw e;
            }
            lastSuperviseError = null;
            Log.notice().kv("release", cur.semver()).kv("step", "supervise").kv("outcome", "started")
                    .kv("pid", started.pid()).emit();
        } catch (LaunchException e) {
            if (!e.getMessage().equals(lastSuperviseError)) {
                lastSuperviseError = e.getMessage();
                Log.error().kv("release", cur.semver()).kv("step", "supervise").kv("outcome", "start-failed")
                        .msg(e.getMessage()).emit();
            }
        }
    }

    /** Logs that a running app was re-adopted after an agent restart (called once at startup). */
    void logAdoption() {
        AppRecord app = ctx.state().app();
        if (app != null && ctx.state().inFlight() == null && ctx.launcher().status(app).running()) {
            Log.info().kv("release", app.releaseSemver()).kv("step", "supervise").kv("outcome", "adopted")
                    .kv("pid", app.pid()).emit();
        }
    }

    private void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (!stopped) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            SdNotify.current().kick();
            try {
                Thread.sleep(Math.min(left, 200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
