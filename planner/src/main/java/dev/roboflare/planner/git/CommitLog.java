package dev.roboflare.planner.git;

import dev.roboflare.planner.PlanningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Lists what a new tag would ship: the commits on the branch tip that the latest tag does not contain. */
public final class CommitLog {
    public static final int DEFAULT_LIMIT = 20;

    public CommitRange since(Path directory, String tip, Optional<String> sinceCommit, int limit) {
        Path dotGit = directory.resolve(".git");
        try (Repository repository = new FileRepositoryBuilder()
                        .setGitDir((Files.isDirectory(dotGit) ? dotGit : directory).toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(tip)));
            if (sinceCommit.isPresent()) {
                walk.markUninteresting(walk.parseCommit(ObjectId.fromString(sinceCommit.get())));
            }
            int total = 0;
            List<CommitSummary> shown = new ArrayList<>();
            for (RevCommit c : walk) {
                total++;
                if (shown.size() < limit) {
                    shown.add(new CommitSummary(c.getName(), c.getShortMessage(), c.getAuthorIdent().getName()));
                }
            }
            return new CommitRange(total, shown);
        } catch (IOException e) {
            throw new PlanningException("Cannot list commits in " + directory + ": " + e.getMessage(), e);
        }
    }
}
