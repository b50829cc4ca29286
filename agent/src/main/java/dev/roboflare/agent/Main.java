package dev.roboflare.agent;

import dev.roboflare.agent.client.ControlPlaneClient;
import dev.roboflare.agent.delta.DeltaDownloads;
import dev.roboflare.agent.deploy.DeployContext;
import dev.roboflare.agent.deploy.DeploymentMachine;
import dev.roboflare.agent.deploy.PauseHook;
import dev.roboflare.agent.deploy.SelfUpdateGuard;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.ExecutorRegistry;
import dev.roboflare.agent.executor.image.ImageExecutor;
import dev.roboflare.agent.executor.container.ExecutorSelection;
import dev.roboflare.agent.executor.module.ModuleExecutor;
import dev.roboflare.agent.executor.tarball.TarballExecutor;
import dev.roboflare.agent.gate.UpdateGate;
import dev.roboflare.protocol.ArtifactKind;
import java.util.EnumMap;
import java.util.Map;
import dev.roboflare.agent.launcher.AppLauncher;
import dev.roboflare.agent.launcher.DetachedProcessLauncher;
import dev.roboflare.agent.launcher.SystemdLauncher;
import dev.roboflare.agent.log.JournaldSink;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.metrics.AgentMetrics;
import dev.roboflare.agent.metrics.MetricsEndpoint;
import dev.roboflare.agent.outbox.Outbox;
import dev.roboflare.agent.preflight.DiskPreflight;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.systemd.SdNotify;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import okhttp3.HttpUrl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar roboflare-agent.jar --control-plane URL --token-file F --state-dir D [...]} */
@Command(name = "roboflare-agent", mixinStandardHelpOptions = true, versionProvider = AgentVersion.class,
        description = "Applies the deployments the Roboflare control plane sends to this robot, watches the app, "
                + "rolls back a release that does not stay up, and reports what happened. It never updates itself.")
public final class Main implements Callable<Integer> {
    /** How often live progress (downloading n%, watching n/30 s) goes to the control plane while it changes. */
    static final java.time.Duration PROGRESS_REPORTS = java.time.Duration.ofSeconds(3);
    @Option(names = "--control-plane", paramLabel = "URL", description = "Control plane base URL.")
    String controlPlane;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding this robot's token.")
    Path tokenFile;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where releases, downloads, logs and state.json live "
            + "(e.g. /var/lib/roboflare-agent).")
    Path stateDir;

    @Option(names = "--config", paramLabel = "FILE", description = "key=value file with the same names as the long "
            + "flags (e.g. /etc/roboflare-agent/agent.conf); flags win.")
    Path config;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often to poll (±10%% jitter; the control plane may suggest another). Default: ${DEFAULT-VALUE}.")
    Duration pollInterval;

    @Option(names = "--watch-window", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long a new app must stay up before it counts as applied. Default: ${DEFAULT-VALUE}.")
    Duration watchWindow;

    @Option(names = "--max-backoff", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Ceiling of the exponential backoff on errors. Default: ${DEFAULT-VALUE}.")
    Duration maxBackoff;

    @Option(names = "--launcher", paramLabel = "process|systemd", defaultValue = "process",
            description = "process: a detached process (new session, outlives the agent); systemd: restart a unit. "
                    + "Default: ${DEFAULT-VALUE}.")
    String launcher;

    @Option(names = "--systemd-unit", paramLabel = "NAME", defaultValue = "roboflare-app.service",
            description = "The app's unit for --launcher systemd (it runs the app from STATE/current). "
                    + "Default: ${DEFAULT-VALUE}.")
    String systemdUnit;

    @Option(names = "--executor", paramLabel = "auto|docker|symlink", defaultValue = "auto",
            description = "docker: container images through the Docker API engine at DOCKER_HOST (app tarballs still "
                    + "by symlink); symlink: app tarballs only; auto: docker when the engine answers /_ping at "
                    + "startup, else symlink. Default: ${DEFAULT-VALUE}.")
    String executor;

    @Option(names = "--modules-dir", paramLabel = "DIR", split = ",", description = "Where mcu_firmware update "
            + "modules (Mender Update Module protocol v3) are looked up, in order; repeat or comma-separate. "
            + "Default: /usr/share/roboflare/modules/v3,/usr/share/mender/modules/v3.")
    List<Path> modulesDirs = new ArrayList<>();

    @Option(names = "--module-timeout", paramLabel = "DURATION", defaultValue = "4h", converter = DurationConverter.class,
            description = "The longest one update module call may run before it is killed. Default: ${DEFAULT-VALUE}.")
    Duration moduleTimeout;

    @Option(names = "--disk-reserve", paramLabel = "SIZE", defaultValue = "64M", converter = ByteSizeConverter.class,
            description = "Free space a download must leave on the state directory's file system, besides the "
                    + "artifact and 3x its size for extraction (e.g. 0, 512K, 64M, 2G). Default: ${DEFAULT-VALUE}.")
    long diskReserve;

    @Option(names = "--chunk-cache", paramLabel = "SIZE", defaultValue = "256M", converter = ByteSizeConverter.class,
            description = "Chunk cache for delta downloads (STATE/chunk-cache), kept under this size; 0 turns delta "
                    + "downloads off. Default: ${DEFAULT-VALUE}.")
    long chunkCache;

    @Option(names = "--max-download-rate", paramLabel = "SIZE", defaultValue = "0", converter = ByteSizeConverter.class,
            description = "Cap on artifact download bytes per second (e.g. 512K, 2M); 0: no cap. Default: "
                    + "${DEFAULT-VALUE}.")
    long maxDownloadRate;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus text on "
            + "http://127.0.0.1:PORT/metrics (loopback only). Default: off.")
    Integer metricsPort;

    @Option(names = "--robot-id", paramLabel = "ID", description = "This robot's id, only to tag journal entries "
            + "(ROBOT_ID=); the control plane knows the robot by its token.")
    String robotId;

    @Option(names = "--trusted-key", paramLabel = "FILE", split = ",", description = "Release public key (PEM, "
            + "from 'roboflare release keygen'); repeat or comma-separate for several. With one, only releases whose "
            + "statement one of them signed are applied (unexpired, matching hash, size, kind, manifest).")
    List<Path> trustedKeys = new ArrayList<>();

    @Option(names = "--version-floor", paramLabel = "SEMVER", description = "Refuse releases below this version, "
            + "except a rollback to a release this robot ran before.")
    String versionFloor;

    @Option(names = "--ca-bundle", paramLabel = "FILE", description = "Trust only these CA certificates (PEM) for "
            + "the control plane's HTTPS; default: the system CAs.")
    Path caBundle;

    @Option(names = "--pin-sha256", paramLabel = "HEX", description = "Trust exactly the control plane certificate "
            + "with this SHA-256 fingerprint (openssl x509 -noout -fingerprint -sha256).")
    String pinSha256;

    @Option(names = "--slot-variable", paramLabel = "NAME", description = "full_image_ab: the boot environment "
            + "variable that picks the root slot (OT-2: ot2part, Flex: root_part).")
    String slotVariable;

    @Option(names = "--slots", paramLabel = "VALUE=DEVICE,VALUE=DEVICE", description = "full_image_ab: the two root "
            + "slots, the slot variable's value and the block device of each (OT-2 and Flex: "
            + "2=/dev/mmcblk0p2,3=/dev/mmcblk0p3). Without it full_image_ab deployments are refused.")
    String slots;

    @Option(names = "--boot-env", paramLabel = "uboot|grub", defaultValue = "uboot", description = "full_image_ab: "
            + "the bootloader whose environment switches slots (fw_setenv, or grub-editenv). Default: ${DEFAULT-VALUE}.")
    String bootEnv;

    @Option(names = "--boot-env-config", paramLabel = "FILE", description = "full_image_ab: U-Boot: libubootenv's "
            + "fw_env.config (default its own /etc/fw_env.config); GRUB: the grubenv file (default /boot/grub/grubenv).")
    Path bootEnvConfig;

    @Option(names = "--image-cert", paramLabel = "FILE", defaultValue = "/etc/opentrons-robot-signing-key.crt",
            description = "full_image_ab: the certificate whose key signs system images (.hash.sig). Default: "
                    + "${DEFAULT-VALUE}; when it does not exist, signatures are not checked (said at start-up).")
    Path imageCert;

    @Option(names = "--robot-type", paramLabel = "TYPE", description = "full_image_ab: this robot's type, matched "
            + "with the image's VERSION.json robot_type (default: robot_type in /etc/VERSION.json).")
    String robotType;

    @Option(names = "--reboot-command", paramLabel = "CMD", defaultValue = "systemctl reboot", description =
            "full_image_ab: how the agent reboots the robot into the new (or old) slot. Default: ${DEFAULT-VALUE}.")
    String rebootCommand;

    @Option(names = "--booted-slot-command", paramLabel = "CMD", description = "full_image_ab: prints the booted "
            + "slot's device (one of --slots), for boards whose /proc/cmdline has no usable root=.")
    String bootedSlotCommand;

    @Option(names = "--preserve-file", paramLabel = "FILE", split = ",", description = "full_image_ab: files "
            + "copied into the new root after it is written, when it is ext4. Default: /etc/machine-id.")
    List<Path> preserveFiles = new ArrayList<>();

    @Option(names = "--boot-id-file", paramLabel = "FILE", defaultValue = "/proc/sys/kernel/random/boot_id",
            hidden = true, description = "TEST ONLY: a file that changes at every boot.")
    Path bootIdFile;

    @Option(names = "--lock-file", paramLabel = "FILE", defaultValue = "/run/roboflare/updates.lock",
            description = "Update lock: while an app holds a flock on FILE (shared or exclusive) the agent does not "
                    + "switch; the agent holds it itself from the switch through the watch. 'none': no lock. "
                    + "Default: ${DEFAULT-VALUE}.")
    String lockFile;

    @Option(names = "--busy-url", paramLabel = "URL", description = "The robot's run state, polled before a switch "
            + "(Opentrons robot-server: http://127.0.0.1:31950/runs): busy while the current run's status is one of "
            + "--busy-statuses. Default: off.")
    String busyUrl;

    @Option(names = "--busy-statuses", paramLabel = "STATUS", split = ",", description = "Run statuses of --busy-url "
            + "that mean busy. Default: running,paused,finishing,stop-requested,awaiting-recovery,blocked-by-open-door.")
    List<String> busyStatuses = new ArrayList<>();

    @Option(names = "--busy-url-timeout", paramLabel = "DURATION", defaultValue = "3s",
            converter = DurationConverter.class, description = "How long --busy-url may take to answer. "
            + "Default: ${DEFAULT-VALUE}.")
    Duration busyUrlTimeout;

    @Option(names = "--busy-unknown-wait", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class, description = "How long a --busy-url or --busy-command that cannot be "
            + "read holds a switch back before the agent proceeds (and logs that it did); 0s: proceed at once. "
            + "Default: ${DEFAULT-VALUE}.")
    Duration busyUnknownWait;

    @Option(names = "--busy-command", paramLabel = "CMD", description = "Run by /bin/sh before a switch: exit 0 free, "
            + "75 busy (its first output line is the reason), anything else an error. Default: off.")
    String busyCommand;

    @Option(names = "--maintenance-window", paramLabel = "WINDOW", split = ";", description = "Switch only inside this window, "
            + "e.g. \"Mon-Fri 22:00-06:00 America/New_York\" (days and zone optional); repeat for several. "
            + "or separate with ';'. Default: any time.")
    List<String> maintenanceWindows = new ArrayList<>();

    @Option(names = "--max-defer", paramLabel = "DURATION", defaultValue = "72h", converter = DurationConverter.class,
            description = "A deployment still waiting for the robot to be free after this long fails with the reason, "
                    + "nothing changed; 0s: wait as long as it takes. Default: ${DEFAULT-VALUE}, longer than a "
                    + "weekend (agent/README.md says why).")
    Duration maxDefer;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cl;
        try {
            cl = commandLine(new Main(), args);
        } catch (IOException e) {
            Log.error().kv("step", "config").kv("outcome", "error").msg("cannot read the config file: "
                    + e.getMessage()).emit();
            return 2;
        }
        return cl.execute(args);
    }

    /** The command line for {@code main}, with the --config file (if {@code args} name one) as its defaults. */
    static CommandLine commandLine(Main main, String[] args) throws IOException {
        CommandLine cl = new CommandLine(main);
        Path cfg = configArg(args);
        if (cfg != null) {
            Set<String> keys = new HashSet<>();
            Map<String, String> multi = new java.util.HashMap<>();
            cl.getCommandSpec().options().forEach(o -> {
                String key = o.longestName().replaceFirst("^-+", "");
                keys.add(key);
                if (o.isMultiValue()) {
                    multi.put(key, o.splitRegex().isEmpty() ? "," : o.splitRegex());
                }
            });
            keys.remove("config");
            keys.remove("help");
            keys.remove("version");
            cl.setDefaultValueProvider(new ConfigFile(cfg, keys, multi));
        }
        return cl;
    }

    private static Path configArg(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    @Override
    public Integer call() throws Exception {
        Log.useJournal(JournaldSink.ifPresent(JournaldSink.DEFAULT_SOCKET, System.getenv(), robotId));
        String problem = validate();
        if (problem != null) {
            Log.error().kv("step", "config").kv("outcome", "error").msg(problem).emit();
            return 2;
        }
        String token;
        try {
            token = Files.readString(tokenFile).trim();
        } catch (IOException e) {
            Log.error().kv("step", "config").kv("outcome", "error").msg("cannot read the token file " + tokenFile
                    + ": " + e.getMessage()).emit();
            return 2;
        }
        if (token.isEmpty()) {
            Log.error().kv("step", "config").kv("outcome", "error").msg("the token file " + tokenFile + " is empty")
                    .emit();
            return 2;
        }
        Path state = stateDir.toAbsolutePath().normalize();
        Files.createDirectories(state);
        dev.roboflare.agent.trust.ControlPlaneTls tls;
        dev.roboflare.agent.trust.ReleaseTrust releaseTrust;
        ControlPlaneClient client;
        try {
            tls = dev.roboflare.agent.trust.ControlPlaneTls.of(caBundle, pinSha256);
            client = new ControlPlaneClient(controlPlane, token, tls);
            client.reportProgressEvery(PROGRESS_REPORTS);
            releaseTrust = releaseTrust(state, client.clockSkew()::skewMs);
            if (releaseTrust != null) {
                Log.info().kv("step", "config").kv("outcome", "trust")
                        .kv("trusted_keys", String.join(",", releaseTrust.keyIds()))
                        .kv("version_floor", versionFloor).kv("agent_version", AgentVersion.current()).emit();
            }
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            Log.error().kv("step", "config").kv("outcome", "error").msg(e.getMessage()).emit();
            return 2;
        }
        PauseHook hook = PauseHook.fromEnvironment();
        AppLauncher appLauncher = launcher.equals("systemd") ? new SystemdLauncher(systemdUnit)
                : new DetachedProcessLauncher(state);
        StateStore store = new StateStore(state);
        AgentState loaded;
        try {
            loaded = store.load();
        } catch (StateStore.NewerStateException e) {
            Log.error().kv("step", "load-state").kv("outcome", "newer-format").msg(e.getMessage()).emit();
            return 2;
        }
        ExecutorSelection.Chosen chosen = ExecutorSelection.choose(executor, state, appLauncher);
        Log.info().kv("step", "config").kv("outcome", "executor").kv("executor", chosen.name()).msg(chosen.why()).emit();
        SdNotify notify = SdNotify.fromEnvironment(System.getenv());
        SdNotify.install(notify);
        notify.ready(loaded.inFlight() == null ? "idle" : "resuming deployment " + loaded.inFlight().id() + " at "
                + loaded.inFlight().phase());
        dev.roboflare.agent.executor.image.ImageSettings images;
        try {
            images = imageSettings();
        } catch (IOException | IllegalArgumentException e) {
            Log.error().kv("step", "config").kv("outcome", "error").msg(e.getMessage()).emit();
            return 2;
        }
        Log.info().kv("step", "config").kv("outcome", "full-image").msg(images == null ? "full_image_ab: not "
                + "configured (no --slots); whole-image deployments are refused" : images.startupLine()).emit();
        DeployContext ctx = new DeployContext(store, loaded, executors(chosen, state, modulesDirs(),
                        moduleTimeout, robotId, images), chosen.launcher(),
                new ArtifactDownloader(client::downloads, state.resolve("downloads"),
                        () -> hook.pauseIfAt(dev.roboflare.agent.deploy.Phase.DOWNLOAD)),
                new Outbox(state), new SelfUpdateGuard(ownJar()), watchWindow, new DiskPreflight(state, diskReserve),
                releaseTrust == null ? dev.roboflare.agent.trust.ReleaseTrust.NONE : releaseTrust,
                DeltaDownloads.in(state, chunkCache, client::downloads, releaseTrust,
                        () -> hook.pauseIfAt(dev.roboflare.agent.deploy.Phase.DOWNLOAD)),
                new UpdateGate(gateConfig()));
        client.capDownloadRate(maxDownloadRate);
        AgentMetrics metrics = new AgentMetrics();
        Outbox outbox = ctx.outbox();
        metrics.outboxDepth(() -> {
            try {
                return outbox.depth();
            } catch (IOException e) {
                return Double.NaN;
            }
        });
        AgentMetrics.install(metrics);
        if (metricsPort != null) {
            try {
                new MetricsEndpoint(metrics, metricsPort);
            } catch (IOException e) {
                Log.error().kv("step", "metrics").kv("outcome", "error").kv("port", metricsPort)
                        .msg("cannot serve metrics on 127.0.0.1:" + metricsPort + ": " + e.getMessage()
                                + "; the agent runs without them").emit();
            }
        }
        Log.info().kv("step", "config").kv("outcome", "ok").kv("control_plane", controlPlane).kv("state_dir", state)
                .kv("agent_version", AgentVersion.current()).kv("launcher", launcher).kv("executor", chosen.name())
                .kv("poll_interval", pollInterval)
                .kv("watch_window", watchWindow).kv("lock_file", lockFile).kv("busy_url", busyUrl)
                .kv("busy_command", busyCommand)
                .kv("maintenance_windows", maintenanceWindows.isEmpty() ? null : String.join("; ", maintenanceWindows))
                .kv("max_defer", maxDefer.isZero() ? null : maxDefer).kv("chunk_cache", chunkCache)
                .kv("max_download_rate", maxDownloadRate > 0 ? maxDownloadRate : null)
                .kv("test_hook", System.getenv(PauseHook.ENV)).emit();
        String deferWarning = new UpdateGate(gateConfig()).maxDeferWarning(java.time.Instant.now());
        if (deferWarning != null) {
            Log.warn().kv("step", "config").kv("outcome", "max-defer-short").msg(deferWarning).emit();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> notify.stopping()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Log.notice().kv("step", "stop").kv("outcome", "ok")
                .msg("agent stopping; the app keeps running and an interrupted deployment resumes at the next start")
                .emit()));
        new Agent(client, ctx, new DeploymentMachine(ctx, hook, DeploymentMachine.DEFAULT_MAX_ENTRIES), pollInterval,
                maxBackoff).run();
        return 0;
    }

    /** The A/B settings, or null when --slots is not given (whole images are then refused). */
    dev.roboflare.agent.executor.image.ImageSettings imageSettings() throws IOException {
        if (slots == null) {
            return null;
        }
        if (slotVariable == null) {
            throw new IllegalArgumentException("--slots needs --slot-variable (OT-2: ot2part, Flex: root_part)");
        }
        return dev.roboflare.agent.executor.image.ImageSettings.of(slotVariable, slots, bootEnv, bootEnvConfig,
                imageCert, robotType, dev.roboflare.agent.executor.image.ImageSettings.VERSION_JSON, rebootCommand,
                bootedSlotCommand, bootIdFile, preserveFiles.isEmpty() ? List.of(Path.of("/etc/machine-id"))
                        : preserveFiles);
    }

    /** The update gate's settings (validated: a maintenance window that cannot be read stops the start). */
    UpdateGate.Config gateConfig() {
        return new UpdateGate.Config(lockFile == null || lockFile.equals("none") ? null : Path.of(lockFile),
                busyCommand, busyUrl, Set.copyOf(busyStatuses), busyUrlTimeout, maintenanceWindows, busyUnknownWait,
                maxDefer);
    }

    List<Path> modulesDirs() {
        return modulesDirs.isEmpty() ? List.of(Path.of("/usr/share/roboflare/modules/v3"),
                Path.of("/usr/share/mender/modules/v3")) : modulesDirs;
    }

    /** The handler of each artifact kind: one line per kind; container_image only with a container engine. */
    static ExecutorRegistry executors(ExecutorSelection.Chosen chosen, Path state, List<Path> modulesDirs,
                                      Duration moduleTimeout, String deviceType,
                                      dev.roboflare.agent.executor.image.ImageSettings images) {
        List<Executor> handlers = new ArrayList<>(List.of(new TarballExecutor(state),
                new ModuleExecutor(state, modulesDirs, moduleTimeout, deviceType == null ? "roboflare-robot"
                        : deviceType)));
        Map<ArtifactKind, String> absent = new EnumMap<>(ArtifactKind.class);
        if (chosen.containers() != null) {
            handlers.add(chosen.containers());
        } else {
            absent.put(ArtifactKind.CONTAINER_IMAGE, "container_image needs the Docker executor (--executor docker, "
                    + "or auto with a container engine that answers)");
        }
        if (images != null) {
            handlers.add(new ImageExecutor(state, images));
        } else {
            absent.put(ArtifactKind.FULL_IMAGE_AB, "full_image_ab needs --slots and --slot-variable on this robot "
                    + "(see agent/README.md, whole-image updates)");
        }
        return new ExecutorRegistry(handlers, absent);
    }

    /**
     * The check step's trust rules from --trusted-key and --version-floor; null when neither is given. Expiry is
     * judged on the robot's clock, moved forward by the measured skew when the robot is behind (ExpiryClock).
     */
    dev.roboflare.agent.trust.ReleaseTrust releaseTrust(Path state, java.util.function.Supplier<Long> clockSkewMs)
            throws IOException {
        List<java.security.PublicKey> keys = dev.roboflare.agent.trust.ReleaseTrust.readKeys(trustedKeys);
        if (!trustedKeys.isEmpty() && keys.isEmpty()) {
            throw new IOException("--trusted-key files hold no PEM public key: " + trustedKeys);
        }
        if (keys.isEmpty() && versionFloor == null) {
            return null;
        }
        return new dev.roboflare.agent.trust.ReleaseTrust(keys, versionFloor, AgentVersion.current(),
                new dev.roboflare.agent.trust.ExpiryClock(java.time.Clock.systemUTC(), clockSkewMs),
                new dev.roboflare.agent.trust.RanReleases(state));
    }

    private String validate() {
        if (controlPlane == null || tokenFile == null || stateDir == null) {
            return "--control-plane, --token-file and --state-dir are required (as flags or in --config)";
        }
        HttpUrl url = HttpUrl.parse(controlPlane);
        if (url == null) {
            return "--control-plane '" + controlPlane + "' is not an http(s) URL";
        }
        if (!launcher.equals("process") && !launcher.equals("systemd")) {
            return "--launcher must be process or systemd, not '" + launcher + "'";
        }
        if (!executor.equals("auto") && !executor.equals("docker") && !executor.equals("symlink")) {
            return "--executor must be auto, docker or symlink, not '" + executor + "'";
        }
        if (moduleTimeout.isZero()) {
            return "--module-timeout must be longer than 0";
        }
        if (busyUrl != null && HttpUrl.parse(busyUrl) == null) {
            return "--busy-url '" + busyUrl + "' is not an http(s) URL (e.g. http://127.0.0.1:31950/runs)";
        }
        try {
            new UpdateGate(gateConfig());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (watchWindow.isZero() || pollInterval.isZero()) {
            return "--watch-window and --poll-interval must be longer than 0";
        }
        return null;
    }

    /** The jar this agent runs from, so a release cannot point its entrypoint at it. */
    static Path ownJar() {
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (Exception e) {
            return null;
        }
    }
}
