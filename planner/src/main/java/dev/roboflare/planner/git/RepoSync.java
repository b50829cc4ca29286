package dev.roboflare.planner.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Brings one local clone up to date with its remote: clone when missing, otherwise fetch branches
 * and tags and fast-forward the release branch. It never rewrites local work: a branch that has
 * diverged from origin is left alone and reported.
 */
public final class RepoSync {
    private final GitCli git;

    public RepoSync() {
        this(new GitCli(30));
    }

    RepoSync(GitCli git) {
        this.git = git;
    }

    /**
     * @param branch the release branch to fast-forward; null for reference repos, which follow
     *               whatever branch is checked out
     */
    public SyncOutcome sync(String repo, Path workspace, String url, String branch) {
        Path directory = workspace.resolve(repo);
        if (!Files.exists(directory.resolve(".git"))) {
            return cloneInto(repo, workspace, directory, url, branch);
        }
        GitCli.Result fetch = git.run(directory, "fetch", "--tags", "origin");
        if (!fetch.ok()) {
            return failed(repo, "git fetch origin failed: " + fetch.stderr());
        }
        String target = branch != null ? branch : currentBranch(directory);
        if (target == null) {
            return new SyncOutcome(repo, SyncOutcome.Kind.UP_TO_DATE, "fetched; detached HEAD left as is");
        }
        return fastForward(repo, directory, target);
    }

    /**
     * Fast-forwards one more branch of an already synced clone (a Flex external chore_release isolation
     * branch), with the same rules as the release branch: created from origin when missing locally,
     * left alone when it has local commits.
     */
    public SyncOutcome fastForwardBranch(String repo, Path workspace, String branch) {
        return fastForward(repo, workspace.resolve(repo), branch);
    }

    private SyncOutcome cloneInto(String repo, Path workspace, Path directory, String url, String branch) {
        try {
            Files.createDirectories(workspace);
        } catch (IOException e) {
            return failed(repo, "cannot create workspace " + workspace + ": " + e.getMessage());
        }
        if (Files.exists(directory) && !isEmptyDirectory(directory)) {
            return failed(repo, directory + " exists but is not a git clone; move it away or fix it");
        }
        GitCli.Result clone = branch == null
                ? git.run(workspace, "clone", "--", url, repo)
                : git.run(workspace, "clone", "--branch", branch, "--", url, repo);
        if (!clone.ok()) {
            return failed(repo, "git clone " + url + " failed: " + clone.stderr());
        }
        // A clone only brings tags reachable from branches; release tags on other commits matter too.
        GitCli.Result tags = git.run(directory, "fetch", "--tags", "origin");
        if (!tags.ok()) {
            return failed(repo, "cloned, but fetching tags failed: " + tags.stderr());
        }
        return new SyncOutcome(repo, SyncOutcome.Kind.CLONED, "cloned " + url);
    }

    private SyncOutcome fastForward(String repo, Path directory, String branch) {
        String remoteRef = "refs/remotes/origin/" + branch;
        if (!git.run(directory, "rev-parse", "--verify", "--quiet", remoteRef).ok()) {
            return failed(repo, "origin has no branch " + branch);
        }
        String localRef = "refs/heads/" + branch;
        if (!git.run(directory, "rev-parse", "--verify", "--quiet", localRef).ok()) {
            GitCli.Result create = git.run(directory, "branch", "--track", branch, "origin/" + branch);
            return create.ok()
                    ? new SyncOutcome(repo, SyncOutcome.Kind.FAST_FORWARDED, "created " + branch + " from origin/" + branch)
                    : failed(repo, "cannot create branch " + branch + ": " + create.stderr());
        }
        String local = git.run(directory, "rev-parse", localRef).stdout();
        String remote = git.run(directory, "rev-parse", remoteRef).stdout();
        if (local.equals(remote)) {
            return new SyncOutcome(repo, SyncOutcome.Kind.UP_TO_DATE, branch + " is up to date with origin");
        }
        if (!git.run(directory, "merge-base", "--is-ancestor", localRef, remoteRef).ok()) {
            return new SyncOutcome(repo, SyncOutcome.Kind.NOT_FAST_FORWARDED,
                    "local " + branch + " has commits that origin/" + branch + " does not; left as is and planned from local "
                            + branch);
        }
        GitCli.Result update = branch.equals(currentBranch(directory))
                // The checked-out branch moves with its working tree, and only if that is a fast-forward.
                ? git.run(directory, "merge", "--ff-only", "--quiet", "origin/" + branch)
                // Fetching from the repository itself updates a branch ref only when it fast-forwards.
                : git.run(directory, "fetch", "--quiet", ".", remoteRef + ":" + localRef);
        if (!update.ok()) {
            return new SyncOutcome(repo, SyncOutcome.Kind.NOT_FAST_FORWARDED,
                    "could not fast-forward " + branch + ": " + update.stderr());
        }
        return new SyncOutcome(repo, SyncOutcome.Kind.FAST_FORWARDED, "fast-forwarded " + branch + " to origin/" + branch);
    }

    private String currentBranch(Path directory) {
        GitCli.Result head = git.run(directory, "symbolic-ref", "--quiet", "--short", "HEAD");
        return head.ok() ? head.stdout() : null;
    }

    private static boolean isEmptyDirectory(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static SyncOutcome failed(String repo, String detail) {
        return new SyncOutcome(repo, SyncOutcome.Kind.FAILED, detail);
    }
}
