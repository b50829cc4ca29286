package dev.roboflare.planner.git;

import dev.roboflare.planner.PlanningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The tags of one repository seen from its release branch: which are annotated, which are merged
 * into the branch, and when each was created. Channel patterns are applied by the caller, so one
 * read serves every rule.
 */
public final class ChannelTags {
    /** Newest creator date first; same-second ties fall back to the higher version-like name. */
    static final Comparator<TagRef> NEWEST_FIRST = Comparator.comparing(TagRef::creatorDate)
            .thenComparing(TagRef::name, ChannelTags::compareNatural)
            .reversed();

    private final String repo;
    private final Path directory;
    private final String branch;
    private final String branchRef;
    private final String tip;
    private final List<TagRef> tags;

    ChannelTags(String repo, Path directory, String branch, String branchRef, String tip, List<TagRef> tags) {
        this.repo = repo;
        this.directory = directory;
        this.branch = branch;
        this.branchRef = branchRef;
        this.tip = tip;
        this.tags = List.copyOf(tags);
    }

    /**
     * Reads the local branch, or origin's copy when the clone has no local branch of that name
     * (a clone made with another default branch checked out).
     */
    public static ChannelTags read(String repo, Path directory, String branch) {
        if (!Files.isDirectory(directory.resolve(".git")) && !Files.isRegularFile(directory.resolve("HEAD"))) {
            throw new PlanningException(repo + ": no git clone at " + directory
                    + " (run without --no-sync to clone it, or point --workspace at your clones)");
        }
        try (Repository repository = new FileRepositoryBuilder().setGitDir(gitDir(directory).toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(repository)) {
            Ref ref = repository.exactRef("refs/heads/" + branch);
            if (ref == null) {
                ref = repository.exactRef("refs/remotes/origin/" + branch);
            }
            if (ref == null) {
                throw new PlanningException(repo + ": branch " + branch + " not found (neither local nor origin/" + branch
                        + ") in " + directory);
            }
            RevCommit tipCommit = walk.parseCommit(ref.getObjectId());
            Set<ObjectId> reachable = reachableFrom(walk, tipCommit);
            List<TagRef> tags = new ArrayList<>();
            for (Ref tagRef : repository.getRefDatabase().getRefsByPrefix("refs/tags/")) {
                toTagRef(walk, tagRef, reachable).ifPresent(tags::add);
            }
            return new ChannelTags(repo, directory, branch, ref.getName(), tipCommit.getName(), tags);
        } catch (IOException e) {
            throw new PlanningException(repo + ": cannot read git data in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Path gitDir(Path directory) {
        Path dotGit = directory.resolve(".git");
        return Files.isDirectory(dotGit) ? dotGit : directory;
    }

    /** One walk from the tip answers "merged into the branch" for every tag at once. */
    private static Set<ObjectId> reachableFrom(RevWalk walk, RevCommit tip) throws IOException {
        Set<ObjectId> reachable = new HashSet<>();
        walk.setRetainBody(false);
        walk.markStart(tip);
        for (RevCommit c : walk) {
            reachable.add(c.copy());
        }
        walk.reset();
        walk.setRetainBody(true);
        return reachable;
    }

    private static Optional<TagRef> toTagRef(RevWalk walk, Ref ref, Set<ObjectId> reachable) throws IOException {
        String name = ref.getName().substring("refs/tags/".length());
        RevObject object = walk.parseAny(ref.getObjectId());
        boolean annotated = object instanceof RevTag;
        Instant created = null;
        if (object instanceof RevTag tag) {
            PersonIdent tagger = tag.getTaggerIdent();
            created = tagger == null ? null : tagger.getWhenAsInstant();
        }
        RevObject peeled = walk.peel(object);
        if (!(peeled instanceof RevCommit commit)) {
            return Optional.empty(); // tags of trees or blobs never name a release
        }
        walk.parseBody(commit);
        if (created == null) {
            created = commit.getCommitterIdent().getWhenAsInstant();
        }
        return Optional.of(new TagRef(name, commit.getName(), created, annotated, reachable.contains(commit)));
    }

    public String repo() {
        return repo;
    }

    public Path directory() {
        return directory;
    }

    public String branch() {
        return branch;
    }

    /** The ref actually read: {@code refs/heads/<branch>} or {@code refs/remotes/origin/<branch>}. */
    public String branchRef() {
        return branchRef;
    }

    public String tip() {
        return tip;
    }

    /** Annotated tags matching the channel pattern that are merged into the branch, newest first. */
    public List<TagRef> mergedAnnotated(Pattern channel) {
        return tags.stream()
                .filter(t -> t.annotated() && t.merged() && channel.matcher(t.name()).matches())
                .sorted(NEWEST_FIRST)
                .toList();
    }

    public Optional<TagRef> latest(Pattern channel) {
        return mergedAnnotated(channel).stream().findFirst();
    }

    /** Every annotated tag matching the pattern, merged or not: tag names are global to the repository. */
    public List<TagRef> allAnnotated(Pattern pattern) {
        return tags.stream().filter(t -> t.annotated() && pattern.matcher(t.name()).matches()).sorted(NEWEST_FIRST).toList();
    }

    /** Lightweight tags matching the pattern; they are ignored for planning and reported. */
    public List<TagRef> lightweight(Pattern pattern) {
        return tags.stream().filter(t -> !t.annotated() && pattern.matcher(t.name()).matches()).sorted(NEWEST_FIRST).toList();
    }

    public Optional<TagRef> named(String name) {
        return tags.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Compares digit runs as numbers so internal@v9 sorts below internal@v10. */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int cmp = new java.math.BigInteger(a.substring(si, i)).compareTo(new java.math.BigInteger(b.substring(sj, j)));
                if (cmp != 0) {
                    return cmp;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
