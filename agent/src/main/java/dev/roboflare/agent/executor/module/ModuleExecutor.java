package dev.roboflare.agent.executor.module;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.files.AtomicFiles;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.ArtifactKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * mcu_firmware through update modules (Mender Update Module protocol v3), so modules written for Mender run
 * unchanged. Manifest: {@code {"module": "<type>", "meta_data": {...}}}; the module is the first executable
 * {@code <dir>/<type>} of the modules directories. Each module state runs in a persisted phase:
 *
 * <pre>
 *   check     SupportsRollback, NeedsArtifactReboot (Yes/Automatic is refused: no reboots yet)
 *   extract   the work dir and its files/ payload (no module call)
 *   switch    ArtifactInstall (after the app is stopped; the app is started again afterwards)
 *   commit    ArtifactCommit (after the app survived the watch window)
 *   rollback  ArtifactRollback when the module supports it, else ArtifactFailure
 *   cleanup   Cleanup, then the work dir is removed
 * </pre>
 *
 * The firmware does not change {@code current}: the app is the same release, restarted and watched because the
 * firmware changes what it talks to. An agent killed during ArtifactInstall rolls back when it starts again.
 */
public final class ModuleExecutor implements Executor {
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The persisted phase each module state runs in: the {@code step=} of its log line. */
    private static final Map<String, String> PHASE_OF = Map.of("SupportsRollback", "check",
            "NeedsArtifactReboot", "check", "ArtifactInstall", "switch", "ArtifactCommit", "commit",
            "ArtifactRollback", "rollback", "ArtifactFailure", "rollback", "Cleanup", "cleanup");

    private final Path workDirs;
    private final List<Path> modulesDirs;
    private final Duration timeout;
    private final String deviceType;

    /**
     * @param modulesDirs where modules are looked up, in order (--modules-dir)
     * @param timeout     the longest a module call may take (--module-timeout)
     * @param deviceType  written as current_device_type (the robot id, or "roboflare-robot")
     */
    public ModuleExecutor(Path stateDir, List<Path> modulesDirs, Duration timeout, String deviceType) {
        this.workDirs = stateDir.resolve("modules");
        this.modulesDirs = List.copyOf(modulesDirs);
        this.timeout = timeout;
        this.deviceType = deviceType;
    }

    @Override
    public ArtifactKind kind() {
        return ArtifactKind.MCU_FIRMWARE;
    }

    @Override
    public boolean replacesApp() {
        return false;
    }

    @Override
    public Path releaseDir(String releaseId) {
        return workDirs.resolve("releases").resolve(releaseId); // never created: firmware has no release dir
    }

    @Override
    public String refusal(DeploymentRecord d) {
        if (d.id() == null || !TYPE.matcher(d.id()).matches()) {
            return "deployment id '" + d.id() + "' cannot be used as a work directory name";
        }
        JsonNode m = d.manifest();
        String type = m == null ? null : m.path("module").asText(null);
        if (type == null || !TYPE.matcher(type).matches()) {
            return "mcu_firmware manifest_json must name its update module like {\"module\": \"single-file\", "
                    + "\"meta_data\": {}} (letters, digits, '.', '_', '-')";
        }
        JsonNode meta = m.get("meta_data");
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            return "mcu_firmware manifest_json \"meta_data\" must be an object";
        }
        Path module = find(type);
        if (module == null) {
            return "update module '" + type + "' is not installed: no executable " + type + " in "
                    + modulesDirs.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + " (--modules-dir)";
        }
        try {
            ModuleWorkDir w = workDir(d);
            w.layOut(d.semver(), type, meta, installedName(type), deviceType);
            ModuleCall.Result rollback = call(d, module, "SupportsRollback", w);
            ModuleCall.Result reboot = call(d, module, "NeedsArtifactReboot", w);
            for (ModuleCall.Result r : List.of(rollback, reboot)) {
                if (!r.ok()) {
                    return failure(type, r);
                }
            }
            if (!reboot.answer().equals("No")) {
                return "update module '" + type + "' answered NeedsArtifactReboot with '" + reboot.answer()
                        + "'; this agent does not reboot the robot for an update yet, so it cannot run it";
            }
            w.saveAnswers(rollback.answer().equals("Yes"), reboot.answer());
            return null;
        } catch (IOException e) {
            return "could not prepare the work directory of update module '" + type + "': " + e.getMessage();
        }
    }

    @Override
    public Path install(DeploymentRecord d, Path artifact) throws RejectedArtifactException, IOException {
        ModuleWorkDir w = workDir(d);
        if (!w.exists()) { // a state from before the check laid it out: do it now
            String why = refusal(d);
            if (why != null) {
                throw new RejectedArtifactException(why);
            }
        }
        w.fillPayload(artifact);
        return w.path();
    }

    @Override
    public void apply(DeploymentRecord d) throws RejectedArtifactException, IOException {
        ModuleWorkDir w = workDir(d);
        if (w.installStarted()) { // written before ArtifactInstall: the agent died while the module ran
            throw new RejectedArtifactException("the agent was interrupted during ArtifactInstall of update module '"
                    + type(d) + "'; what it left is not trusted");
        }
        w.markInstallStarted();
        expectOk(d, "ArtifactInstall");
    }

    @Override
    public void commit(DeploymentRecord d) throws RejectedArtifactException, IOException {
        expectOk(d, "ArtifactCommit");
        AtomicFiles.write(workDirs.resolve("installed-" + type(d)), (d.semver() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String undo(DeploymentRecord d, ReleaseRecord target) throws IOException {
        ModuleWorkDir w = workDir(d);
        Path module = find(type(d));
        if (module == null) {
            return "update module '" + type(d) + "' is gone, so nothing could be rolled back";
        }
        if (!w.supportsRollback()) {
            ModuleCall.Result r = call(d, module, "ArtifactFailure", w);
            return "update module '" + type(d) + "' cannot roll back (SupportsRollback answered No); ArtifactFailure "
                    + (r.ok() ? "ran" : r.how(timeout)) + lines(r);
        }
        ModuleCall.Result r = call(d, module, "ArtifactRollback", w);
        return r.ok() ? null : failure(type(d), r);
    }

    @Override
    public void cleanup(DeploymentRecord d) {
        ModuleWorkDir w = workDir(d);
        if (!w.exists()) {
            return;
        }
        Path module = find(type(d));
        try {
            if (module != null) {
                call(d, module, "Cleanup", w);
            }
            w.delete();
        } catch (IOException e) {
            Log.warn().kv("deployment", d.id()).kv("step", "cleanup").kv("outcome", "error").kv("module", type(d))
                    .msg("could not remove the work directory " + w.path() + ": " + e.getMessage()).emit();
        }
    }

    private void expectOk(DeploymentRecord d, String state) throws RejectedArtifactException, IOException {
        Path module = find(type(d));
        if (module == null) {
            throw new RejectedArtifactException("update module '" + type(d) + "' is gone");
        }
        ModuleCall.Result r = call(d, module, state, workDir(d));
        if (!r.ok()) {
            throw new RejectedArtifactException(failure(type(d), r));
        }
    }

    private ModuleCall.Result call(DeploymentRecord d, Path module, String state, ModuleWorkDir w)
            throws IOException {
        ModuleCall.Result r = ModuleCall.run(module, state, w.path(), timeout);
        Log line = r.ok() ? Log.info() : Log.error();
        line.kv("deployment", d.id()).kv("release", d.semver()).kv("step", PHASE_OF.get(state)).kv("module", type(d))
                .kv("module_state", state).kv("outcome", r.ok() ? "ok" : r.exitCode() == null ? "timeout" : "failed")
                .kv("exit_code", r.exitCode()).kv("duration_ms", r.millis())
                .kv("answer", state.startsWith("Supports") || state.startsWith("Needs") ? r.answer() : null)
                .msg(r.ok() ? null : r.lines().isEmpty() ? "" : r.lines().get(r.lines().size() - 1)).emit();
        return r;
    }

    private String failure(String type, ModuleCall.Result r) {
        return "update module '" + type + "' " + r.state() + " " + r.how(timeout) + lines(r);
    }

    private static String lines(ModuleCall.Result r) {
        return r.lines().isEmpty() ? "; it printed nothing"
                : "\nlast " + r.lines().size() + " lines it printed:\n" + String.join("\n", r.lines());
    }

    private Path find(String type) {
        for (Path dir : modulesDirs) {
            Path p = dir.resolve(type);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private String installedName(String type) {
        try {
            return Files.readString(workDirs.resolve("installed-" + type)).trim();
        } catch (IOException e) {
            return "none";
        }
    }

    private ModuleWorkDir workDir(DeploymentRecord d) {
        return new ModuleWorkDir(workDirs.resolve(d.id()));
    }

    private static String type(DeploymentRecord d) {
        return d.manifest() == null ? "?" : d.manifest().path("module").asText("?");
    }
}
