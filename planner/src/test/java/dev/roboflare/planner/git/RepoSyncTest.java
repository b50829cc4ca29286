package dev.roboflare.planner.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.planner.testing.GitFixture;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoSyncTest {
    @TempDir
    Path tmp;

    GitFixture upstream;
    String remoteUrl;
    Path workspace;
    final RepoSync sync = new RepoSync();

    /** An upstream working repo pushing to a bare repo that plays GitHub, reached through file://. */
    @BeforeEach
    void remote() {
        upstream = GitFixture.init(tmp.resolve("upstream/opentrons"), "edge");
        upstream.tag("ot3@8.4.0", upstream.commit("app: 8.4.0"));
        Path bare = tmp.resolve("remotes/opentrons.git");
        upstream.git("clone", "--quiet", "--bare", upstream.dir().toString(), bare.toString());
        upstream.git("remote", "add", "origin", bare.toString());
        remoteUrl = bare.toUri().toString();
        workspace = tmp.resolve("ws");
    }

    private void pushUpstream() {
        upstream.git("push", "--quiet", "--tags", "origin", "edge");
    }

    @Test
    void clonesAMissingRepoWithItsReleaseBranchAndTags() {
        SyncOutcome outcome = sync.sync("opentrons", workspace, remoteUrl, "edge");

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.CLONED);
        ChannelTags tags = ChannelTags.read("opentrons", workspace.resolve("opentrons"), "edge");
        assertThat(tags.tip()).isEqualTo(upstream.head());
        assertThat(tags.branchRef()).isEqualTo("refs/heads/edge");
        assertThat(tags.latest(Pattern.compile("ot3@.*"))).map(TagRef::name).contains("ot3@8.4.0");
    }

    @Test
    void fastForwardsTheCheckedOutReleaseBranchAndFetchesNewTags() {
        sync.sync("opentrons", workspace, remoteUrl, "edge");
        upstream.tag("ot3@8.5.0", upstream.commit("app: 8.5.0"));
        pushUpstream();

        SyncOutcome outcome = sync.sync("opentrons", workspace, remoteUrl, "edge");

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.FAST_FORWARDED);
        GitFixture clone = GitFixture.open(workspace.resolve("opentrons"));
        assertThat(clone.head()).isEqualTo(upstream.head());
        assertThat(clone.git("status", "--porcelain")).isEmpty();
        assertThat(ChannelTags.read("opentrons", clone.dir(), "edge").latest(Pattern.compile("ot3@.*")))
                .map(TagRef::name).contains("ot3@8.5.0");
    }

    @Test
    void fastForwardsTheReleaseBranchEvenWhenAnotherBranchIsCheckedOut() {
        sync.sync("opentrons", workspace, remoteUrl, "edge");
        GitFixture clone = GitFixture.open(workspace.resolve("opentrons"));
        clone.checkoutNew("my-work");
        String newTip = upstream.commit("app: more");
        pushUpstream();

        SyncOutcome outcome = sync.sync("opentrons", workspace, remoteUrl, "edge");

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.FAST_FORWARDED);
        assertThat(clone.git("rev-parse", "refs/heads/edge")).isEqualTo(newTip);
        assertThat(clone.git("symbolic-ref", "--short", "HEAD")).isEqualTo("my-work");
    }

    @Test
    void leavesADivergedLocalBranchAloneAndSaysSo() {
        sync.sync("opentrons", workspace, remoteUrl, "edge");
        GitFixture clone = GitFixture.open(workspace.resolve("opentrons"));
        String local = clone.commit("app: local experiment");
        upstream.commit("app: upstream work");
        pushUpstream();

        SyncOutcome outcome = sync.sync("opentrons", workspace, remoteUrl, "edge");

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.NOT_FAST_FORWARDED);
        assertThat(outcome.detail()).contains("local edge has commits that origin/edge does not");
        assertThat(clone.head()).isEqualTo(local);
    }

    @Test
    void anUnreachableRemoteIsReportedAsAFailure() {
        SyncOutcome outcome = sync.sync("oe-core", workspace, tmp.resolve("nowhere.git").toUri().toString(), "main");

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.FAILED);
        assertThat(outcome.detail()).contains("git clone");
    }
}
