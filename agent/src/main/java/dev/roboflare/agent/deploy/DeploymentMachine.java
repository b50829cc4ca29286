package dev.roboflare.agent.deploy;

import static dev.roboflare.agent.deploy.Phase.CHECK;
import static dev.roboflare.agent.deploy.Phase.CLEANUP;
import static dev.roboflare.agent.deploy.Phase.COMMIT;
import static dev.roboflare.agent.deploy.Phase.DONE;
import static dev.roboflare.agent.deploy.Phase.DOWNLOAD;
import static dev.roboflare.agent.deploy.Phase.EXTRACT;
import static dev.roboflare.agent.deploy.Phase.GATE;
import static dev.roboflare.agent.deploy.Phase.REPORT;
import static dev.roboflare.agent.deploy.Phase.ROLLBACK;
import static dev.roboflare.agent.deploy.Phase.SWITCH;
import static dev.roboflare.agent.deploy.Phase.BOOTED;
import static dev.roboflare.agent.deploy.Phase.REBOOT;
import static dev.roboflare.agent.deploy.Phase.REVERT;
import static dev.roboflare.agent.deploy.Phase.VERIFY;
import static dev.roboflare.agent.deploy.Phase.WATCH;
import static dev.roboflare.agent.deploy.Phase.WRITE;
import static dev.roboflare.agent.deploy.StepResult.Kind.APP_EXITED;
import static dev.roboflare.agent.deploy.StepResult.Kind.FAILED;
import static dev.roboflare.agent.deploy.StepResult.Kind.GAVE_UP;
import static dev.roboflare.agent.deploy.StepResult.Kind.OK;
import static dev.roboflare.agent.deploy.StepResult.Kind.WAIT;
import static dev.roboflare.agent.deploy.StepResult.Kind.WHOLE_IMAGE;

import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.metrics.AgentMetrics;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.Outcome;
import dev.roboflare.agent.systemd.SdNotify;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * The whole life of a deployment, in one place.
 *
 * <pre>
 *                                                          ┌ busy: wait (asked again every poll)
 *                                                          ▼   │
 *   check ─ok─▶ download ─ok─▶ verify ─ok─▶ extract ─ok─▶ gate ─free─▶ switch ─ok─▶ watch ─ok─▶ commit ─ok (applied)─▶ cleanup ─▶ report ─▶ done
 *     │            │             │             │           │             │            │            │                  ▲
 *     └── failed ──┴─── failed ──┴─── failed ──┴─ max-defer┴─────────▶   │            │            │                  │
 *                                                 cleanup                └ app exited ┴─ refused ──┴─▶ rollback ──────┘
 *                                                                                                (rolled_back, or failed)
 *
 *   A whole OS image (full_image_ab) leaves verify for its own phases, passes the same gate before its reboot, and
 *   joins again at commit / cleanup:
 *   verify ─whole image─▶ write ─ok─▶ gate ─free (whole image)─▶ reboot ─ok─▶ booted ─ok (new slot, app survived)─▶ commit
 *                           │                                    (env write,     │
 *                           failed ▶ cleanup                      reboot asked)  └ app exited / old slot booted ─▶ revert ─▶ cleanup
 *                                                                                       (env back, reboot into the old slot)
 * </pre>
 *
 * What a phase does with the artifact is the kind's {@link dev.roboflare.agent.executor.Executor} (install at
 * extract, apply at switch, commit, undo at rollback, cleanup); the phases and this table are the same for every
 * kind. The gate before the switch is the same for every kind too: whatever disturbs the app (a new app, a module's
 * install, an A/B reboot) happens at switch, after the robot said it is free. The update lock the gate takes is held
 * from there through the watch and a rollback, and let go at cleanup.
 *
 * Before a phase runs, the in-flight deployment with that phase is written to state.json (atomic, fsynced), so a
 * restarted agent resumes at the same phase: a download continues, an extract starts over, a watch is watched in
 * full again, a rollback is finished. A loop guard gives up on a phase that was started more than
 * {@code maxEntries} times (the agent keeps dying in it): failed before the switch, rollback after it.
 */
public final class DeploymentMachine {

    /** The transition table: (phase, what the phase answered) → next phase. Nothing else decides a next phase. */
    private static final Map<Phase, Map<StepResult.Kind, Phase>> TABLE = new EnumMap<>(Phase.class);

    static {
        row(CHECK, OK, DOWNLOAD, FAILED, CLEANUP, GAVE_UP, CLEANUP);
        row(DOWNLOAD, OK, VERIFY, FAILED, CLEANUP, GAVE_UP, CLEANUP);
        row(VERIFY, OK, EXTRACT, WHOLE_IMAGE, WRITE, FAILED, CLEANUP, GAVE_UP, CLEANUP);
        row(EXTRACT, OK, GATE, FAILED, CLEANUP, GAVE_UP, CLEANUP);
        // failed: still busy after --max-defer; a whole image goes on to its reboot, every other kind to switch
        row(GATE, OK, SWITCH, WHOLE_IMAGE, REBOOT, FAILED, CLEANUP);
        row(SWITCH, OK, WATCH, APP_EXITED, ROLLBACK, FAILED, CLEANUP, GAVE_UP, ROLLBACK); // failed: engine down
        row(WATCH, OK, COMMIT, APP_EXITED, ROLLBACK, GAVE_UP, ROLLBACK);
        row(COMMIT, OK, CLEANUP, APP_EXITED, ROLLBACK, GAVE_UP, ROLLBACK);
        row(WRITE, OK, GATE, FAILED, CLEANUP, GAVE_UP, CLEANUP);
        row(REBOOT, OK, BOOTED, FAILED, CLEANUP, GAVE_UP, REVERT); // failed: the environment could not be written
        row(BOOTED, OK, COMMIT, APP_EXITED, REVERT, GAVE_UP, REVERT);
        row(REVERT, OK, CLEANUP, FAILED, CLEANUP, GAVE_UP, CLEANUP);
        row(ROLLBACK, OK, CLEANUP, FAILED, CLEANUP, GAVE_UP, CLEANUP);
        row(CLEANUP, OK, REPORT, GAVE_UP, REPORT);
        row(REPORT, OK, DONE);
    }

    private static final Map<Phase, Step> STEPS = new EnumMap<>(Map.ofEntries(
            Map.entry(CHECK, new CheckStep()),
            Map.entry(DOWNLOAD, new DownloadStep()),
            Map.entry(VERIFY, new VerifyStep()),
            Map.entry(EXTRACT, new ExtractStep()),
            Map.entry(GATE, new GateStep()),
            Map.entry(SWITCH, new SwitchStep()),
            Map.entry(WATCH, new WatchStep()),
            Map.entry(COMMIT, new CommitStep()),
            Map.entry(ROLLBACK, new RollbackStep()),
            Map.entry(WRITE, new WriteStep()),
            Map.entry(REBOOT, new RebootStep()),
            Map.entry(BOOTED, new BootedStep()),
            Map.entry(REVERT, new RevertStep()),
            Map.entry(CLEANUP, new CleanupStep()),
            Map.entry(REPORT, new ReportStep())));

    /** How {@link #run} ended. */
    public enum End { DONE, RETRY_LATER, WAITING }

    public static final int DEFAULT_MAX_ENTRIES = 4;

    private final DeployContext ctx;
    private final PauseHook hook;
    private final int maxEntries;

    public DeploymentMachine(DeployContext ctx, PauseHook hook, int maxEntries) {
        this.ctx = ctx;
        this.hook = hook;
        this.maxEntries = maxEntries;
    }

    /** Starts a new deployment at the first phase. */
    public End begin(AgentApi.Deployment d) throws IOException {
        InFlight f = InFlight.start(DeploymentRecord.of(d), CHECK.word()).countEntry();
        ctx.save(ctx.state().withInFlight(f));
        DeployContext.line(Log.Priority.INFO, f, CHECK).kv("outcome", "started")
                .kv("kind", d.artifact() == null || d.artifact().kind() == null ? null : d.artifact().kind().wire())
                .emit();
        return run(f);
    }

    /**
     * After state.json was lost: {@code d} was in flight and reached {@code phase} (judged from its traces on the
     * disk). It is not redone: cleanup runs and it is reported failed with that phase.
     */
    public End lost(AgentApi.Deployment d, String phase) throws IOException {
        String why = "agent state was lost during phase " + phase + " (state.json missing or unreadable); the "
                + "deployment was not redone. Deploy the release again to apply it";
        InFlight f = InFlight.start(DeploymentRecord.of(d), CLEANUP.word())
                .withOutcome(new Outcome(UUID.randomUUID().toString(), DeploymentStatus.FAILED, why)).countEntry();
        ctx.save(ctx.state().judged().withInFlight(f));
        AgentMetrics.current().deploymentEnded(DeploymentStatus.FAILED.wire());
        DeployContext.line(Log.Priority.ERROR, f, Phase.of(phase)).kv("outcome", "state-lost").msg(why).emit();
        return run(f);
    }

    /**
     * The control plane no longer offers the in-flight deployment (cancelled, or superseded by a newer one, such as
     * a forced deployment) while it waits at the gate: nothing was changed on the robot, so it ends there, failed,
     * after cleanup, and the next deployment can start. Past the gate a deployment is always finished.
     */
    public End withdrawnAtGate() throws IOException {
        InFlight f = ctx.state().inFlight();
        String why = "withdrawn by the control plane (cancelled or superseded) while waiting for the robot to be free ("
                + f.gateReason() + "); nothing was changed on it";
        DeployContext.line(Log.Priority.NOTICE, f, GATE).kv("outcome", "withdrawn").msg(why).emit();
        InFlight n = f.withOutcome(new Outcome(UUID.randomUUID().toString(), DeploymentStatus.FAILED, why))
                .withPhase(CLEANUP.word()).countEntry();
        ctx.save(ctx.state().withInFlight(n));
        AgentMetrics.current().deploymentEnded(DeploymentStatus.FAILED.wire());
        return run(n);
    }

    /** Resumes the persisted in-flight deployment after an agent restart (this counts for the loop guard). */
    public End resume() throws IOException {
        InFlight f = ctx.state().inFlight().countEntry();
        ctx.save(ctx.state().withInFlight(f));
        DeployContext.line(Log.Priority.NOTICE, f, Phase.of(f.phase())).kv("outcome", "resumed")
                .kv("attempt", f.entries(f.phase())).msg("the agent restarted during this phase; resuming it").emit();
        return run(f);
    }

    /**
     * Continues the in-flight deployment (after RETRY_LATER or WAITING), possibly with a refreshed download URL or
     * a force the operator added since.
     */
    public End proceed(AgentApi.Deployment refreshed) throws IOException {
        InFlight f = ctx.state().inFlight();
        if (refreshed != null && refreshed.id().equals(f.id()) && refreshed.artifact() != null) {
            f = f.withDeployment(f.deployment().withUrls(refreshed.artifact()));
        }
        if (refreshed != null && refreshed.id().equals(f.id()) && refreshed.force() && !f.deployment().force()) {
            f = f.withDeployment(f.deployment().forced()); // the operator forced it while it waited at the gate
        }
        return run(f);
    }

    private End run(InFlight f) throws IOException {
        while (true) {
            Phase phase = Phase.of(f.phase());
            if (phase == DONE) {
                return End.DONE;
            }
            StepResult r;
            holdLockThrough(phase);
            // report only writes a file; the gate disturbs nothing, and a restart while waiting must not give up
            if (phase != REPORT && phase != GATE && f.entries(phase.word()) > maxEntries) {
                r = giveUp(f, phase);
            } else {
                SdNotify.current().status("deployment " + f.id() + " release " + f.semver() + ": " + phase.word());
                if (phase != DOWNLOAD) { // the download pauses after its first chunk, inside the downloader
                    hook.pauseIfAt(phase);
                }
                long started = System.nanoTime();
                try {
                    r = STEPS.get(phase).run(ctx, f);
                    AgentMetrics.current().phase(phase.word(), System.nanoTime() - started);
                } catch (IOException | RuntimeException e) {
                    if (phase == REPORT && e instanceof IOException full) {
                        throw full; // report only writes the outbox and state.json: a full disk, not a bug (Agent)
                    }
                    // A local I/O error or a bug: log it, count it for the loop guard, let the main loop retry.
                    Log.bug("phase " + phase.word() + " of deployment " + f.id() + " threw", e);
                    ctx.save(ctx.state().withInFlight(f.countEntry()));
                    return End.RETRY_LATER;
                }
            }
            if (r.kind() == StepResult.Kind.RETRY_LATER || r.kind() == WAIT) {
                if (!(r.kind() == WAIT && r.flight().equals(f))) { // a robot busy for hours: no write per poll
                    ctx.save(ctx.state().withInFlight(r.flight()));
                }
                return r.kind() == WAIT ? End.WAITING : End.RETRY_LATER;
            }
            Phase next = TABLE.get(phase).get(r.kind());
            if (next == null) {
                throw new IllegalStateException("no transition from " + phase + " on " + r.kind());
            }
            InFlight n = r.flight();
            if (r.status() != null) {
                n = n.withOutcome(new Outcome(UUID.randomUUID().toString(), r.status(), r.detail()));
                AgentMetrics.current().deploymentEnded(r.status().wire());
                if (r.status() == DeploymentStatus.FAILED && phase != ROLLBACK) {
                    DeployContext.line(Log.Priority.ERROR, f, phase).kv("outcome", "failed")
                            .msg(r.detail().lines().findFirst().orElse("")).emit();
                }
            }
            if (next == DONE) {
                return End.DONE; // report already cleared the in-flight deployment
            }
            n = n.withPhase(next.word()).countEntry();
            ctx.save(ctx.state().withInFlight(n));
            f = n;
        }
    }

    /**
     * The update lock is the agent's from the gate through the switch, the watch, the commit and a rollback (taken
     * again after a restart there: the kernel dropped it with the old process); from cleanup on apps may have it.
     */
    private void holdLockThrough(Phase phase) {
        switch (phase) {
            case SWITCH, WATCH, COMMIT, ROLLBACK -> ctx.gate.holdIfFree();
            case GATE -> { } // the gate takes it only when the robot is free
            default -> ctx.gate.release();
        }
    }

    private StepResult giveUp(InFlight f, Phase phase) {
        String why = "the agent was interrupted " + (f.entries(phase.word()) - 1) + " times during phase "
                + phase.word() + "; giving up on it";
        DeployContext.line(Log.Priority.ERROR, f, phase).kv("outcome", "gave-up").msg(why).emit();
        if (TABLE.get(phase).get(GAVE_UP) == ROLLBACK || TABLE.get(phase).get(GAVE_UP) == REVERT) {
            return new StepResult(GAVE_UP, f.withProblem(why), null, null);
        }
        if (f.outcome() != null) { // cleanup after a decided outcome: the outcome stands
            return new StepResult(GAVE_UP, f, null, null);
        }
        return new StepResult(GAVE_UP, f, DeploymentStatus.FAILED, why);
    }

    private static void row(Phase from, Object... pairs) {
        Map<StepResult.Kind, Phase> m = new EnumMap<>(StepResult.Kind.class);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((StepResult.Kind) pairs[i], (Phase) pairs[i + 1]);
        }
        TABLE.put(from, m);
    }
}
