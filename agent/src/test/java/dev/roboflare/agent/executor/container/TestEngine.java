package dev.roboflare.agent.executor.container;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The real engine scripts/test starts (scripts/lib/services/podman.sh). Tests that need it FAIL, never skip,
 * when it is not there: a Docker test that silently does not run proves nothing.
 */
final class TestEngine {
    static final String HOW = "run the tests through scripts/test, which starts podman's Docker API service and "
            + "the local registry (scripts/lib/services/podman.sh) and exports DOCKER_HOST, ROBOFLARE_TEST_BASE_IMAGE "
            + "and ROBOFLARE_TEST_REGISTRY";

    final DockerClient docker;
    final String host;

    private TestEngine(DockerClient docker, String host) {
        this.docker = docker;
        this.host = host;
    }

    static TestEngine require() {
        String host = System.getenv("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            fail("DOCKER_HOST is not set: " + HOW);
        }
        var cfg = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        String ping = ExecutorSelection.ping(cfg);
        if (ping != null) {
            fail("the container engine at " + host + " does not answer /_ping (" + ping + "): " + HOW);
        }
        return new TestEngine(ExecutorSelection.client(cfg, Duration.ofMinutes(5)), host);
    }

    /** The docker-save archive of the busybox image podman.sh built (localhost/tiny:1, CMD /bin/sh). */
    static byte[] baseArchive() throws IOException {
        String p = System.getenv("ROBOFLARE_TEST_BASE_IMAGE");
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            fail("ROBOFLARE_TEST_BASE_IMAGE is not set or missing: " + HOW);
        }
        return Files.readAllBytes(Path.of(p));
    }

    static String registry() {
        String r = System.getenv("ROBOFLARE_TEST_REGISTRY");
        if (r == null || r.isBlank()) {
            fail("ROBOFLARE_TEST_REGISTRY is not set: " + HOW);
        }
        return r;
    }

    /** The app containers (any state) of these releases. */
    List<Container> appContainers(Collection<String> releaseIds) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(ContainerExecutor.RELEASE_LABEL))
                .exec().stream().filter(c -> releaseIds.contains(c.getLabels().get(ContainerExecutor.RELEASE_LABEL)))
                .toList();
    }

    List<Container> running(Collection<String> releaseIds) {
        return appContainers(releaseIds).stream().filter(c -> "running".equals(c.getState())).toList();
    }

    boolean hasImage(String ref) {
        try {
            docker.inspectImageCmd(ref).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Removes what a test left: its containers and its roboflare/app tags. */
    void cleanUp(Collection<String> releaseIds, Collection<String> semvers) {
        for (Container c : appContainers(releaseIds)) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        for (String v : semvers) {
            try {
                docker.removeImageCmd(ContainerExecutor.REPOSITORY + ":" + ContainerExecutor.tagOf(v)).exec();
            } catch (RuntimeException ignored) {
                // not there, or still used by another tag
            }
        }
    }
}
