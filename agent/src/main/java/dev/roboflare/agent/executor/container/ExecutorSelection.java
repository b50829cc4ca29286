package dev.roboflare.agent.executor.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.launcher.AppLauncher;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code --executor auto|docker|symlink}: auto is Docker when the engine (DOCKER_HOST, else
 * /var/run/docker.sock) answers /_ping at startup, else the symlink executor, except when the current release is
 * a container: then the engine is only late (a robot booting), and Docker it stays. Only the container_image handler
 * and the launcher depend on the choice; app tarballs are applied either way.
 */
public final class ExecutorSelection {
    /**
     * What the agent runs with: the container_image handler (null with symlink), the launcher for every app, and
     * {@code why}, for the startup log line.
     */
    public record Chosen(String name, Executor containers, AppLauncher launcher, String why) {
    }

    private ExecutorSelection() {
    }

    public static Chosen choose(String mode, Path stateDir, AppLauncher processes) {
        if (mode.equals("symlink")) {
            return new Chosen("symlink", null, processes, "--executor symlink");
        }
        String plain = EnginePing.plainUnixHost(System.getenv());
        if (mode.equals("auto") && plain != null && !InstalledImage.isContainerRelease(stateDir.resolve("current"))) {
            String why = EnginePing.ping(plain, Duration.ofSeconds(5));
            if (why != null) { // no engine: docker-java is never loaded
                return new Chosen("symlink", null, processes,
                        "no container engine at " + plain + " (" + why + ")");
            }
        }
        DockerClientConfig cfg = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        String host = cfg.getDockerHost().toString();
        String pingError = ping(cfg);
        boolean runsContainer = InstalledImage.isContainerRelease(stateDir.resolve("current"));
        if (mode.equals("auto") && pingError != null && !runsContainer) {
            return new Chosen("symlink", null, processes,
                    "no container engine at " + host + " (" + pingError + ")");
        }
        DockerClient docker = client(cfg, Duration.ofMinutes(30));
        return new Chosen("docker", new ContainerExecutor(stateDir, docker, host, () -> ping(cfg)),
                new ContainerLauncher(docker, host, processes),
                pingError == null ? "engine at " + host + " answers /_ping"
                        : "--executor " + mode + (runsContainer ? " and the current release is a container" : "")
                        + ", but the engine at " + host + " does not answer yet (" + pingError + ")");
    }

    /** Null when the engine answers /_ping, else why not. */
    static String ping(DockerClientConfig cfg) {
        try (DockerClient c = client(cfg, Duration.ofSeconds(5))) {
            c.pingCmd().exec();
            return null;
        } catch (Exception e) {
            return ContainerExecutor.oneLine(e);
        }
    }

    public static DockerClient client(DockerClientConfig cfg, Duration responseTimeout) {
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(cfg.getDockerHost())
                .sslConfig(cfg.getSSLConfig()).maxConnections(8).connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(responseTimeout).build();
        return DockerClientImpl.getInstance(cfg, http);
    }
}
