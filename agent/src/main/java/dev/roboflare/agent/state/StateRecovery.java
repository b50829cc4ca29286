package dev.roboflare.agent.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When state.json is lost (missing on a robot that has releases, or unreadable), the agent does not start empty:
 * the current release is where STATE/current points, the previous one the newest other release directory, each
 * described by the {@value #RELEASE_FILE} its install left there. The deployment that was in flight is not redone
 * blindly: at the next poll, the oldest dispatched deployment without an event in the outbox is judged by what it
 * left on the disk ({@link #tracePhase}) and reported failed with that phase.
 */
public final class StateRecovery {
    /** In every release directory of a kind that replaces the app: its {@link ReleaseRecord}, written at extract. */
    public static final String RELEASE_FILE = ".roboflare-release.json";
    private static final ObjectMapper JSON = AgentJson.lenient();

    private StateRecovery() {
    }

    static boolean hasReleases(Path stateDir) throws IOException {
        if (Files.exists(stateDir.resolve("current"), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        return !releaseDirs(stateDir).isEmpty();
    }

    static AgentState rebuild(Path stateDir) throws IOException {
        Path link = stateDir.resolve("current");
        Path currentDir = Files.isSymbolicLink(link)
                ? link.toAbsolutePath().getParent().resolve(Files.readSymbolicLink(link)).normalize() : null;
        ReleaseRecord current = currentDir == null ? null : read(currentDir).orElse(null);
        ReleaseRecord previous = null;
        List<Path> others = releaseDirs(stateDir).stream().filter(d -> !d.equals(currentDir))
                .sorted(Comparator.comparing(StateRecovery::modified).reversed()).toList();
        for (Path d : others) {
            previous = read(d).orElse(null);
            if (previous != null) {
                break;
            }
        }
        return new AgentState(AgentState.VERSION, current, previous, null, null, List.of(), true);
    }

    /**
     * How far a deployment got, from what it left on the disk: {@code switch} when STATE/current points at its
     * release, {@code extract} when its release (or a module work directory) exists, {@code download} when its
     * part file exists; null when it left nothing (it never started, so it can simply run).
     */
    public static String tracePhase(Path stateDir, DeploymentRecord d) throws IOException {
        Path link = stateDir.resolve("current");
        if (d.releaseId() != null && Files.isSymbolicLink(link)
                && Files.readSymbolicLink(link).getFileName().toString().equals(d.releaseId())) {
            return "switch";
        }
        if (d.releaseId() != null && Files.isDirectory(stateDir.resolve("releases").resolve(d.releaseId()))
                || Files.isDirectory(stateDir.resolve("modules").resolve(d.id()))) {
            return "extract";
        }
        if (d.sha256() != null && Files.exists(stateDir.resolve("downloads").resolve(d.sha256() + ".part"))) {
            return "download";
        }
        return null;
    }

    /** Leaves the release's record in its directory, so a lost state.json can be rebuilt. */
    public static void writeReleaseFile(Path releaseDir, ReleaseRecord r) throws IOException {
        AtomicFiles.write(releaseDir.resolve(RELEASE_FILE), JSON.writeValueAsBytes(r));
    }

    private static Optional<ReleaseRecord> read(Path releaseDir) {
        try {
            ReleaseRecord r = JSON.readValue(releaseDir.resolve(RELEASE_FILE).toFile(), ReleaseRecord.class);
            return Optional.of(new ReleaseRecord(r.id(), r.semver(), releaseDir.toString(), r.manifest()));
        } catch (IOException e) {
            return Optional.empty(); // installed by an agent that did not leave the file: it cannot be restarted
        }
    }

    private static List<Path> releaseDirs(Path stateDir) throws IOException {
        Path releases = stateDir.resolve("releases");
        if (!Files.isDirectory(releases)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(releases)) {
            return s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
