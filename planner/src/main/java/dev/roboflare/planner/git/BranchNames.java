package dev.roboflare.planner.git;

import dev.roboflare.planner.PlanningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The branch names a clone knows: its local branches and origin's (as last fetched), without the
 * {@code refs/heads/} / {@code refs/remotes/origin/} prefixes. Sync fetches origin first, so this is
 * origin's list as of the run; with {@code --no-sync} it is the clone's view.
 */
public final class BranchNames {
    private static final String LOCAL = "refs/heads/";
    private static final String ORIGIN = "refs/remotes/origin/";

    private BranchNames() {
    }

    public static Set<String> read(String repo, Path directory) {
        Path dotGit = directory.resolve(".git");
        Path gitDir = Files.isDirectory(dotGit) ? dotGit : directory;
        if (!Files.isDirectory(dotGit) && !Files.isRegularFile(directory.resolve("HEAD"))) {
            throw new PlanningException(repo + ": no git clone at " + directory
                    + " (run without --no-sync to clone it, or point --workspace at your clones)");
        }
        try (Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            Set<String> names = new TreeSet<>();
            for (Ref ref : repository.getRefDatabase().getRefsByPrefix(LOCAL)) {
                names.add(ref.getName().substring(LOCAL.length()));
            }
            for (Ref ref : repository.getRefDatabase().getRefsByPrefix(ORIGIN)) {
                String name = ref.getName().substring(ORIGIN.length());
                if (!name.equals("HEAD")) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            throw new PlanningException(repo + ": cannot read branches in " + directory + ": " + e.getMessage(), e);
        }
    }
}
