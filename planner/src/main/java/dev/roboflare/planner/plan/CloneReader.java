package dev.roboflare.planner.plan;

import dev.roboflare.planner.git.ChannelTags;
import dev.roboflare.planner.stack.StackRepo;
import java.util.Set;

/** What the planner reads from the local clones: tags seen from a branch, and the branch names a repo has. */
public interface CloneReader {
    ChannelTags tags(StackRepo repo, String branch);

    /** Local and origin branch names, without ref prefixes. */
    Set<String> branches(StackRepo repo);
}
