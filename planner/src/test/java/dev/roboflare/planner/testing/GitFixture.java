package dev.roboflare.planner.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real git repository in a temp dir, driven through the git CLI the way a release engineer would:
 * commits, annotated tags with chosen creator dates, lightweight tags, side branches.
 */
public final class GitFixture {
    /** Commit dates advance from here so history order is deterministic. */
    private static final Instant EPOCH = Instant.parse("2026-01-01T12:00:00Z");

    private final Path dir;
    private int commits;
    private int tags;

    private GitFixture(Path dir) {
        this.dir = dir;
    }

    public static GitFixture init(Path dir, String branch) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        GitFixture repo = new GitFixture(dir);
        repo.git("init", "--quiet", "--initial-branch=" + branch);
        repo.commit("initial commit");
        return repo;
    }

    public static GitFixture open(Path dir) {
        return new GitFixture(dir);
    }

    public Path dir() {
        return dir;
    }

    public String commit(String subject) {
        commits++;
        try {
            Files.writeString(dir.resolve("change-" + commits + ".txt"), subject + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        git("add", "-A");
        Instant when = EPOCH.plusSeconds(3600L * commits);
        gitAt(when, "commit", "--quiet", "-m", subject);
        return head();
    }

    public String head() {
        return git("rev-parse", "HEAD");
    }

    /** An annotated tag on a commit, created at the given moment (its creator date). */
    public void tag(String name, String commit, Instant created) {
        gitAt(created, "tag", "-a", name, "-m", "chore(release): " + name, commit);
    }

    public void tag(String name, String commit) {
        // Tags made without an explicit date are created in call order, a year after the first commit.
        tags++;
        tag(name, commit, EPOCH.plusSeconds(3600L * 24 * 365 + 3600L * tags));
    }

    public void lightweightTag(String name, String commit) {
        git("tag", name, commit);
    }

    public void checkoutNew(String branch) {
        git("checkout", "--quiet", "-b", branch);
    }

    public void checkout(String branch) {
        git("checkout", "--quiet", branch);
    }

    public String git(String... args) {
        return run(null, args);
    }

    private String gitAt(Instant when, String... args) {
        return run(when, args);
    }

    private String run(Instant when, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_AUTHOR_NAME", "Release Engineer");
        env.put("GIT_AUTHOR_EMAIL", "release@example.com");
        env.put("GIT_COMMITTER_NAME", "Release Engineer");
        env.put("GIT_COMMITTER_EMAIL", "release@example.com");
        String date = (when == null ? EPOCH.plusSeconds(3600L * commits) : when).getEpochSecond() + " +0000";
        env.put("GIT_AUTHOR_DATE", date);
        env.put("GIT_COMMITTER_DATE", date);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
