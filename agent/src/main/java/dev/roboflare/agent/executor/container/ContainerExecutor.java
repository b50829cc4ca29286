package dev.roboflare.agent.executor.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.executor.SymlinkSwitcher;
import dev.roboflare.agent.files.AtomicFiles;
import dev.roboflare.agent.files.FileTrees;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.ArtifactKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * container_image artifacts through a Docker-API engine: the verified archive is loaded through the API (or, when
 * the manifest names a pinned {@code image}, pulled by digest), tagged roboflare/app:&lt;semver&gt;, and recorded as
 * STATE/releases/&lt;id&gt;/image.json; STATE/current is swapped to that directory like for a tarball (both kinds
 * share the releases directory and the link, so a rollback may cross kinds). {@link ContainerLauncher} runs it.
 */
public final class ContainerExecutor implements Executor {
    public static final String REPOSITORY = "roboflare/app";
    static final String RELEASE_LABEL = "roboflare.release_id";
    static final String DEPLOYMENT_LABEL = "roboflare.deployment_id";

    private final DockerClient docker;
    private final String host;
    private final SymlinkSwitcher switcher;
    private final Path releases;
    private final Supplier<String> ping;

    public ContainerExecutor(Path stateDir, DockerClient docker, String host) {
        this(stateDir, docker, host, () -> {
            try {
                docker.pingCmd().exec();
                return null;
            } catch (RuntimeException e) {
                return oneLine(e);
            }
        });
    }

    /** {@code ping}: null when the engine answers /_ping, else why not (with a short timeout). */
    public ContainerExecutor(Path stateDir, DockerClient docker, String host, Supplier<String> ping) {
        this.ping = ping;
        this.docker = docker;
        this.host = host;
        this.switcher = new SymlinkSwitcher(stateDir.resolve("current"));
        this.releases = stateDir.resolve("releases");
    }

    @Override
    public ArtifactKind kind() {
        return ArtifactKind.CONTAINER_IMAGE;
    }

    /** The manifest must be a usable container spec and the engine must answer before anything is downloaded. */
    @Override
    public String refusal(DeploymentRecord d) {
        try {
            ContainerSpec.from(d.manifest());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String why = ping.get();
        return why == null ? null : "the container engine at " + host + " does not answer /_ping (" + why
                + "); nothing was downloaded or changed";
    }

    @Override
    public Path releaseDir(String releaseId) {
        return releases.resolve(releaseId);
    }

    @Override
    public boolean replacesApp() {
        return true;
    }

    @Override
    public Path install(DeploymentRecord d, Path artifact) throws RejectedArtifactException, IOException {
        String releaseId = d.releaseId();
        Path done = releaseDir(releaseId);
        String tag = tagOf(d.semver());
        ContainerSpec spec;
        try {
            spec = ContainerSpec.from(d.manifest());
        } catch (IllegalArgumentException e) {
            throw new RejectedArtifactException(e.getMessage());
        }
        String imageId;
        String source;
        try {
            if (InstalledImage.isContainerRelease(done) && engineHas(InstalledImage.read(done).imageId())) {
                return done; // installed before (a resumed extract): releases are immutable
            }
            if (spec.image() != null) {
                imageId = pull(spec.image());
                source = spec.image();
            } else {
                imageId = load(artifact);
                source = "archive";
            }
            docker.tagImageCmd(imageId, REPOSITORY, tag).withForce(true).exec();
        } catch (DockerException e) {
            throw new RejectedArtifactException("the container engine refused the image: " + oneLine(e)
                    + "; nothing was changed and the running app is untouched");
        } catch (RuntimeException e) {
            throw new RejectedArtifactException(unreachable(e));
        }
        Files.createDirectories(releases);
        Path tmp = releases.resolve(".tmp-" + releaseId);
        FileTrees.deleteTree(tmp);
        Files.createDirectories(tmp);
        new InstalledImage(imageId, REPOSITORY + ":" + tag, source, d.id()).write(tmp);
        FileTrees.deleteTree(done); // an image.json whose image the engine lost
        AtomicFiles.moveAtomically(tmp, done);
        AtomicFiles.fsyncDirectory(releases);
        return done;
    }

    private String load(Path artifact) throws RejectedArtifactException, IOException {
        String imageId = ImageArchive.imageId(artifact);
        try (InputStream in = Files.newInputStream(artifact)) {
            docker.loadImageCmd(in).exec();
        }
        if (!engineHas(imageId)) {
            throw new RejectedArtifactException("the container engine loaded the archive but has no image " + imageId
                    + " afterwards; nothing was changed and the running app is untouched");
        }
        return imageId;
    }

    /** Pulls {@code ref} (name[:tag]@sha256:…) and checks that the engine holds exactly that digest. */
    private String pull(String ref) throws RejectedArtifactException {
        String digest = ref.substring(ref.indexOf('@') + 1);
        try {
            docker.pullImageCmd(ref).exec(new PullImageResultCallback()).awaitCompletion(30, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedArtifactException("the pull of " + ref + " was interrupted");
        }
        InspectImageResponse img = docker.inspectImageCmd(ref).exec();
        List<String> digests = img.getRepoDigests() == null ? List.of() : img.getRepoDigests();
        if (digests.stream().noneMatch(r -> r.endsWith("@" + digest))) {
            throw new RejectedArtifactException("the image pulled for " + ref + " has digests " + digests
                    + ", not " + digest + "; it is not used");
        }
        return img.getId();
    }

    private boolean engineHas(String imageId) {
        try {
            docker.inspectImageCmd(imageId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public String unavailable(DeploymentRecord d, AppRecord running) {
        boolean needsEngine = InstalledImage.isContainerRelease(releaseDir(d.releaseId()))
                || (running != null && ContainerLauncher.KIND.equals(running.launcher()));
        if (!needsEngine) {
            return null;
        }
        String why = ping.get();
        return why == null ? null : "the container engine at " + host + " does not answer /_ping (" + why
                + "); nothing was switched and the running app was left as it was";
    }

    @Override
    public void apply(DeploymentRecord d) throws IOException {
        switcher.pointTo(releaseDir(d.releaseId()));
    }

    /** The new container was removed by the launcher; {@code current} goes back, the launcher starts the old one. */
    @Override
    public String undo(DeploymentRecord d, ReleaseRecord target) throws IOException {
        switcher.restore(target);
        return null;
    }

    /**
     * After an applied deployment: removes the app containers and roboflare/app tags of every release except the
     * current and the previous one (a rollback needs the previous container and image). Best effort.
     */
    @Override
    public void prune(ReleaseRecord current, ReleaseRecord previous) {
        Set<String> keepIds = new HashSet<>();
        Set<String> keepTags = new HashSet<>();
        for (ReleaseRecord r : new ReleaseRecord[] {current, previous}) {
            if (r != null) {
                keepIds.add(r.id());
                keepTags.add(REPOSITORY + ":" + tagOf(r.semver()));
            }
        }
        int containers = 0;
        int tags = 0;
        try {
            for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(RELEASE_LABEL))
                    .exec()) {
                if (!keepIds.contains(c.getLabels().get(RELEASE_LABEL)) && !"running".equals(c.getState())) {
                    docker.removeContainerCmd(c.getId()).withForce(true).exec();
                    containers++;
                }
            }
            for (Image img : docker.listImagesCmd().exec()) {
                for (String t : img.getRepoTags() == null ? new String[0] : img.getRepoTags()) {
                    String bare = t.startsWith("localhost/") ? t.substring("localhost/".length()) : t;
                    if (bare.startsWith(REPOSITORY + ":") && !keepTags.contains(bare)) {
                        try {
                            docker.removeImageCmd(t).exec();
                            tags++;
                        } catch (DockerException e) {
                            Log.warn().kv("step", "prune").kv("outcome", "kept").kv("image", t).msg(oneLine(e)).emit();
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            Log.warn().kv("step", "prune").kv("outcome", "error").msg(oneLine(e)).emit();
            return;
        }
        Log.info().kv("step", "prune").kv("outcome", "ok").kv("containers_removed", containers)
                .kv("images_removed", tags).emit();
    }

    /** A semver as an image tag ([A-Za-z0-9_.-], at most 128 characters). */
    static String tagOf(String semver) {
        String t = semver.replaceAll("[^A-Za-z0-9_.-]", "_");
        return t.length() > 128 ? t.substring(0, 128) : t;
    }

    private String unreachable(RuntimeException e) {
        return "the container engine at " + host + " did not answer (" + oneLine(e) + "); nothing was changed "
                + "and the running app is untouched";
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !m.contains(root.getMessage())) {
            m = m + ": " + root.getMessage();
        }
        return m.replaceAll("\\s+", " ").trim();
    }
}
