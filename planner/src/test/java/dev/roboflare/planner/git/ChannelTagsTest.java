package dev.roboflare.planner.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roboflare.planner.PlanningException;
import dev.roboflare.planner.testing.GitFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelTagsTest {
    private static final Pattern FIRMWARE = Pattern.compile("internal@v(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void lightweightTagsNeverCountAsTheLatestReleaseButAreReported() {
        GitFixture repo = GitFixture.init(tmp.resolve("ot3-firmware"), "main");
        String first = repo.commit("fw: first");
        repo.tag("internal@v26", first);
        String second = repo.commit("fw: second");
        repo.lightweightTag("internal@v27", second);

        ChannelTags tags = ChannelTags.read("ot3-firmware", repo.dir(), "main");

        assertThat(tags.latest(FIRMWARE)).map(TagRef::name).contains("internal@v26");
        assertThat(tags.lightweight(FIRMWARE)).extracting(TagRef::name).containsExactly("internal@v27");
    }

    @Test
    void tagsOnBranchesNotMergedIntoTheReleaseBranchAreIgnored() {
        GitFixture repo = GitFixture.init(tmp.resolve("ot3-firmware"), "main");
        String onMain = repo.commit("fw: on main");
        repo.tag("internal@v26", onMain);
        repo.checkoutNew("feature/experiment");
        String onFeature = repo.commit("fw: experiment");
        repo.tag("internal@v40", onFeature);
        repo.checkout("main");

        ChannelTags tags = ChannelTags.read("ot3-firmware", repo.dir(), "main");

        assertThat(tags.latest(FIRMWARE)).map(TagRef::name).contains("internal@v26");
        assertThat(tags.mergedAnnotated(FIRMWARE)).extracting(TagRef::name).containsExactly("internal@v26");
        assertThat(tags.allAnnotated(FIRMWARE)).extracting(TagRef::name).contains("internal@v40");
    }

    @Test
    void latestIsByCreatorDateNotByVersionOrder() {
        GitFixture repo = GitFixture.init(tmp.resolve("ot3-firmware"), "main");
        String a = repo.commit("fw: a");
        String b = repo.commit("fw: b");
        // v28 was created first (on the newer commit), v27 re-created later on the older commit.
        repo.tag("internal@v28", b, Instant.parse("2026-03-01T10:00:00Z"));
        repo.tag("internal@v27", a, Instant.parse("2026-03-02T10:00:00Z"));

        ChannelTags tags = ChannelTags.read("ot3-firmware", repo.dir(), "main");

        assertThat(tags.mergedAnnotated(FIRMWARE)).extracting(TagRef::name)
                .containsExactly("internal@v27", "internal@v28");
        assertThat(tags.latest(FIRMWARE)).map(TagRef::commit).contains(a);
    }

    @Test
    void severalTagsOnOneCommitAreAllSeenAndTheNewestWins() {
        GitFixture repo = GitFixture.init(tmp.resolve("opentrons"), "edge");
        String release = repo.commit("release 8.5.0");
        repo.tag("ot3@8.5.0-alpha.2", release, Instant.parse("2026-04-01T09:00:00Z"));
        repo.tag("ot3@8.5.0", release, Instant.parse("2026-04-02T09:00:00Z"));
        repo.tag("internal@8.5.0", release, Instant.parse("2026-04-01T12:00:00Z"));

        ChannelTags tags = ChannelTags.read("opentrons", repo.dir(), "edge");

        assertThat(tags.latest(Pattern.compile("ot3@.*"))).map(TagRef::name).contains("ot3@8.5.0");
        assertThat(tags.mergedAnnotated(Pattern.compile(".*"))).hasSize(3).allMatch(t -> t.commit().equals(release));
    }

    @Test
    void sameSecondTiesPreferTheHigherVersionNumber() {
        GitFixture repo = GitFixture.init(tmp.resolve("ot3-firmware"), "main");
        String c = repo.commit("fw");
        Instant same = Instant.parse("2026-03-01T10:00:00Z");
        repo.tag("internal@v9", c, same);
        repo.tag("internal@v10", c, same);

        assertThat(ChannelTags.read("ot3-firmware", repo.dir(), "main").latest(FIRMWARE))
                .map(TagRef::name).contains("internal@v10");
    }

    @Test
    void readsOriginsBranchWhenTheCloneHasNoLocalBranchOfThatName() {
        GitFixture origin = GitFixture.init(tmp.resolve("origin"), "opentrons-develop");
        String tip = origin.commit("br: work");
        GitFixture clone = GitFixture.init(tmp.resolve("buildroot"), "other");
        clone.git("remote", "add", "origin", origin.dir().toString());
        clone.git("fetch", "--quiet", "origin");

        ChannelTags tags = ChannelTags.read("buildroot", clone.dir(), "opentrons-develop");

        assertThat(tags.tip()).isEqualTo(tip);
        assertThat(tags.branchRef()).isEqualTo("refs/remotes/origin/opentrons-develop");
    }

    @Test
    void aMissingCloneOrBranchIsAClearError() {
        GitFixture repo = GitFixture.init(tmp.resolve("oe-core"), "main");

        assertThatThrownBy(() -> ChannelTags.read("oe-core", repo.dir(), "kirkstone"))
                .isInstanceOf(PlanningException.class).hasMessageContaining("branch kirkstone not found");
        assertThatThrownBy(() -> ChannelTags.read("oe-core", tmp.resolve("nope"), "main"))
                .isInstanceOf(PlanningException.class).hasMessageContaining("no git clone").hasMessageContaining("--no-sync");
    }
}
