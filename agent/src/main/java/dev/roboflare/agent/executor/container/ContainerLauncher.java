package dev.roboflare.agent.executor.container;

import static dev.roboflare.agent.executor.container.ContainerExecutor.DEPLOYMENT_LABEL;
import static dev.roboflare.agent.executor.container.ContainerExecutor.RELEASE_LABEL;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.roboflare.agent.launcher.AppLauncher;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.launcher.AppStatus;
import dev.roboflare.agent.launcher.LaunchException;
import dev.roboflare.agent.state.ReleaseRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs container_image releases as containers (releases with STATE/releases/&lt;id&gt;/image.json) and hands every
 * other release to the process launcher. The engine runs the container, so it outlives the agent; the container
 * id is persisted in state.json (AppRecord.unit) and the container carries the labels roboflare.release_id and
 * roboflare.deployment_id, so a restarted agent finds it either way.
 * <ul>
 * <li>start: a container of that release that already exists is started again (the previous release on a
 * rollback, the current one when it stopped) or re-adopted when it runs (restarted when it is unhealthy);
 * otherwise one is created. Any other
 * running app container is stopped first: exactly one app container runs.</li>
 * <li>stop keeps the container and its image (a rollback starts it again); remove deletes it.</li>
 * </ul>
 */
public final class ContainerLauncher implements AppLauncher {
    public static final String KIND = "docker";
    private static final int STOP_GRACE_SECONDS = 10;

    private final DockerClient docker;
    private final AppLauncher processes;
    private final String host;

    public ContainerLauncher(DockerClient docker, String host, AppLauncher processes) {
        this.docker = docker;
        this.host = host;
        this.processes = processes;
    }

    @Override
    public AppRecord start(ReleaseRecord release) throws LaunchException {
        Path dir = release.dir() == null ? null : Path.of(release.dir());
        if (!InstalledImage.isContainerRelease(dir)) {
            return processes.start(release);
        }
        InstalledImage image;
        ContainerSpec spec;
        try {
            image = InstalledImage.read(dir);
            spec = ContainerSpec.from(release.manifest());
        } catch (IOException | IllegalArgumentException e) {
            throw new LaunchException("release " + release.semver() + " cannot be started: " + e.getMessage());
        }
        try {
            List<Container> apps = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(RELEASE_LABEL)).exec();
            Container mine = null;
            apps.sort(Comparator.comparing(Container::getCreated).reversed());
            for (Container c : apps) {
                boolean same = release.id().equals(c.getLabels().get(RELEASE_LABEL));
                if (same && mine == null) {
                    mine = c;
                } else if (same) {
                    docker.removeContainerCmd(c.getId()).withForce(true).exec(); // a duplicate: never two
                } else if ("running".equals(c.getState())) {
                    stopQuietly(c.getId());
                }
            }
            String id = mine != null ? mine.getId() : create(release, image, spec);
            InspectContainerResponse in = docker.inspectContainerCmd(id).exec();
            if (!Boolean.TRUE.equals(in.getState().getRunning())) {
                docker.startContainerCmd(id).exec();
                in = docker.inspectContainerCmd(id).exec();
            } else if (in.getState().getHealth() != null
                    && "unhealthy".equals(in.getState().getHealth().getStatus())) {
                docker.restartContainerCmd(id).withTimeout(STOP_GRACE_SECONDS).exec(); // supervised like an exit
                in = docker.inspectContainerCmd(id).exec();
            }
            Long pid = in.getState().getPidLong();
            return new AppRecord(KIND, release.id(), release.semver(), pid == null ? 0 : pid,
                    in.getState().getStartedAt(), null, null, id);
        } catch (DockerException e) {
            throw new LaunchException("the container engine could not start release " + release.semver() + ": "
                    + ContainerExecutor.oneLine(e));
        } catch (RuntimeException e) {
            throw new LaunchException("the container engine at " + host + " did not answer: "
                    + ContainerExecutor.oneLine(e));
        }
    }

    private String create(ReleaseRecord release, InstalledImage image, ContainerSpec spec) {
        List<ExposedPort> exposed = new ArrayList<>();
        List<PortBinding> bindings = new ArrayList<>();
        for (String p : spec.ports()) {
            PortBinding b = PortBinding.parse(p);
            exposed.add(b.getExposedPort());
            bindings.add(b);
        }
        HostConfig host = HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.noRestart())
                .withPortBindings(bindings)
                .withBinds(spec.binds().stream().map(Bind::parse).toList());
        CreateContainerCmd cmd = docker.createContainerCmd(image.imageId())
                .withName("roboflare-app-" + release.id())
                .withLabels(Map.of(RELEASE_LABEL, release.id(),
                        DEPLOYMENT_LABEL, image.deploymentId() == null ? "" : image.deploymentId()))
                .withEnv(spec.env())
                .withExposedPorts(exposed)
                .withHostConfig(host);
        if (!spec.cmd().isEmpty()) {
            cmd.withCmd(spec.cmd());
        }
        return cmd.exec().getId();
    }

    @Override
    public AppStatus status(AppRecord app) {
        if (!KIND.equals(app.launcher())) {
            return processes.status(app);
        }
        InspectContainerResponse in;
        try {
            in = docker.inspectContainerCmd(app.unit()).exec();
        } catch (NotFoundException e) {
            return AppStatus.exited(null, "container " + shortId(app.unit()) + " is gone");
        } catch (DockerException e) {
            throw new IllegalStateException("the container engine could not inspect container " + shortId(app.unit())
                    + ": " + ContainerExecutor.oneLine(e), e);
        }
        InspectContainerResponse.ContainerState st = in.getState();
        if (Boolean.TRUE.equals(st.getRunning())) {
            if (st.getHealth() != null && "unhealthy".equals(st.getHealth().getStatus())) {
                return AppStatus.exited(null, "became unhealthy (its HEALTHCHECK failed)");
            }
            return AppStatus.isRunning();
        }
        Long code = st.getExitCodeLong();
        boolean oom = Boolean.TRUE.equals(st.getOOMKilled());
        String how = code == null ? "is not running" : "exited with code " + code;
        if (st.getError() != null && !st.getError().isBlank()) {
            how += " (" + st.getError().trim() + ")";
        }
        return AppStatus.exited(code == null ? null : code.intValue(), how + ", OOMKilled=" + oom);
    }

    @Override
    public void stop(AppRecord app) {
        if (!KIND.equals(app.launcher())) {
            processes.stop(app);
            return;
        }
        stopQuietly(app.unit());
    }

    @Override
    public void remove(AppRecord app) {
        if (!KIND.equals(app.launcher())) {
            processes.remove(app);
            return;
        }
        try {
            docker.removeContainerCmd(app.unit()).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public List<String> lastLines(AppRecord app, int n) {
        if (!KIND.equals(app.launcher())) {
            return processes.lastLines(app, n);
        }
        StringBuilder out = new StringBuilder();
        try {
            docker.logContainerCmd(app.unit()).withStdOut(true).withStdErr(true).withTail(n)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame f) {
                            out.append(new String(f.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return List.of("(the container's log could not be read: " + ContainerExecutor.oneLine(e) + ")");
        }
        List<String> lines = new ArrayList<>(Arrays.asList(out.toString().split("\r?\n")));
        lines.removeIf(String::isEmpty);
        return lines.size() > n ? lines.subList(lines.size() - n, lines.size()) : lines;
    }

    private void stopQuietly(String id) {
        try {
            docker.stopContainerCmd(id).withTimeout(STOP_GRACE_SECONDS).exec();
        } catch (NotFoundException | NotModifiedException e) {
            // already gone or already stopped
        }
    }

    static String shortId(String id) {
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }
}
