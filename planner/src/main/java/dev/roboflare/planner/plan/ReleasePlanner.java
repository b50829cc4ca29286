package dev.roboflare.planner.plan;

import dev.roboflare.planner.PlanningException;
import dev.roboflare.planner.config.RemoteConfig;
import dev.roboflare.planner.git.ChannelTags;
import dev.roboflare.planner.git.CommitLog;
import dev.roboflare.planner.git.CommitRange;
import dev.roboflare.planner.git.TagRef;
import dev.roboflare.planner.stack.Platform;
import dev.roboflare.planner.stack.ReleaseType;
import dev.roboflare.planner.stack.RepoRole;
import dev.roboflare.planner.stack.StackDefinition;
import dev.roboflare.planner.stack.StackRepo;
import dev.roboflare.planner.version.BaseVersion;
import dev.roboflare.planner.version.CalendarTagRule;
import dev.roboflare.planner.version.FlexTagRules;
import dev.roboflare.planner.version.Ot2CalendarTags;
import dev.roboflare.planner.version.Ot2ExternalCalendarTags;
import dev.roboflare.planner.version.TagPattern;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns the tags read from the local clones into a release plan. It decides, per repo, the latest
 * channel tag, whether the branch tip has moved past it, and the next tag; it never touches git refs.
 */
public final class ReleasePlanner {
    private static final Pattern ANY = Pattern.compile(".*");
    private static final int LIGHTWEIGHT_NAMES_SHOWN = 5;

    private final CommitLog commitLog;
    private final RemoteConfig remotes;

    public ReleasePlanner(CommitLog commitLog, RemoteConfig remotes) {
        this.commitLog = commitLog;
        this.remotes = remotes;
    }

    /** Rules for one platform: each repo's channel and, lazily, its next tag. */
    private record Rules(
            Map<String, TagPattern> channels,
            Map<String, Supplier<String>> nextTags,
            Optional<BaseVersion> base,
            boolean baseInferred,
            List<String> description) {
    }

    /** @param tagsByRepo the channel tags of every tagged repo of the request's stack, keyed by repo name */
    public ReleasePlan plan(PlanRequest request, Map<String, ChannelTags> tagsByRepo) {
        StackDefinition stack = StackDefinition.of(request.platform());
        LocalDate easternDate = CalendarTagRule.easternDate(request.now());
        Rules rules = request.platform() == Platform.FLEX
                ? flexRules(request, stack, tagsByRepo)
                : ot2Rules(request, stack, tagsByRepo, easternDate);
        List<String> warnings = new ArrayList<>();

        // First pass: where each branch stands against its latest channel tag.
        Map<String, Optional<TagRef>> latest = new LinkedHashMap<>();
        for (StackRepo repo : stack.tagged()) {
            ChannelTags tags = tagsOf(tagsByRepo, repo);
            TagPattern channel = rules.channels().get(repo.name());
            latest.put(repo.name(), tags.latest(channel.regex()));
            warnAboutLightweight(tags, channel, warnings);
            if (tags.branchRef().startsWith("refs/remotes/")) {
                warnings.add(repo.name() + ": no local branch " + repo.releaseBranch() + "; planned from origin/"
                        + repo.releaseBranch() + " (git checkout " + repo.releaseBranch() + " creates it)");
            }
        }

        // Second pass: next tags, computed only where needed so an exhausted OT-2 day only fails a real release.
        Map<String, Optional<String>> next = new LinkedHashMap<>();
        for (StackRepo repo : stack.tagged()) {
            boolean needs = needsTag(tagsOf(tagsByRepo, repo), latest.get(repo.name()));
            next.put(repo.name(), needs ? Optional.of(rules.nextTags().get(repo.name()).get()) : Optional.empty());
        }
        StackRepo app = stack.app();
        Optional<String> releaseTag = next.get(app.name()).or(() -> latest.get(app.name()).map(TagRef::name));
        // Stack repo tag messages reference the app release they ship with. OT-2 repos share one tag,
        // so when only buildroot moved its message names that shared tag, not an older app tag.
        Optional<String> sharedOt2Tag = request.platform() == Platform.OT2
                ? next.values().stream().flatMap(Optional::stream).findFirst()
                : Optional.empty();
        String message = "chore(release): " + next.get(app.name()).or(() -> sharedOt2Tag).or(() -> releaseTag)
                .orElseGet(() -> rules.nextTags().get(app.name()).get());

        List<RepoPlan> repos = new ArrayList<>();
        for (StackRepo repo : stack.tagged()) {
            ChannelTags tags = tagsOf(tagsByRepo, repo);
            Optional<TagRef> latestTag = latest.get(repo.name());
            Optional<String> nextTag = next.get(repo.name());
            nextTag.flatMap(tags::named).ifPresent(existing -> warnings.add(repo.name() + ": tag " + existing.name()
                    + " already exists on " + existing.commit().substring(0, 10)
                    + (existing.annotated() ? " (not on " + repo.releaseBranch() + ")" : " (lightweight)")
                    + "; git tag -a will refuse it. Delete or rename that tag, or choose another name by hand."));
            CommitRange commits = nextTag.isPresent()
                    ? commitLog.since(tags.directory(), tags.tip(), latestTag.map(TagRef::commit), CommitLog.DEFAULT_LIMIT)
                    : CommitRange.empty();
            Optional<String> compare = latestTag.map(t ->
                    remotes.githubWebUrl(repo.name()) + "/compare/" + t.name() + "..." + repo.releaseBranch());
            repos.add(new RepoPlan(repo, tags.directory(), rules.channels().get(repo.name()).display(),
                    repo.releaseBranch(), tags.tip(), latestTag, nextTag.isPresent(), nextTag, message, compare, commits));
        }

        List<PushStep> pushOrder = new ArrayList<>();
        for (RepoPlan repo : repos) {
            repo.nextTag().ifPresent(tag -> pushOrder.add(new PushStep(pushOrder.size() + 1, repo.repo().name(), tag)));
        }
        if (next.get(app.name()).isEmpty() && !pushOrder.isEmpty()) {
            warnings.add(app.name() + ": " + app.releaseBranch() + " is already tagged " + releaseTag.orElse("?")
                    + "; only stack repos get new tags, and their messages reference that app tag.");
        }
        if (request.platform() == Platform.FLEX && next.get("ot3-firmware").isPresent()
                && latest.get("ot3-firmware").isEmpty()) {
            warnings.add("ot3-firmware: no annotated " + rules.channels().get("ot3-firmware").display()
                    + " tag is merged into main, so numbering starts at 1; check it against the firmware team's counter.");
        }

        return new ReleasePlan(request, stack, rules.base(), rules.baseInferred(), easternDate, List.copyOf(repos),
                List.copyOf(pushOrder), releaseTag, nextSteps(request.platform(), releaseTag), rules.description(),
                List.copyOf(warnings));
    }

    /** Seeds: a new tag is needed when the branch tip is not the commit of the latest channel tag, or there is none. */
    static boolean needsTag(ChannelTags tags, Optional<TagRef> latest) {
        return latest.map(t -> !t.commit().equals(tags.tip())).orElse(true);
    }

    private Rules flexRules(PlanRequest request, StackDefinition stack, Map<String, ChannelTags> tagsByRepo) {
        FlexTagRules rules = new FlexTagRules(request.releaseType(), request.stability());
        ChannelTags app = tagsOf(tagsByRepo, stack.app());
        boolean inferred = request.baseVersion().isEmpty();
        BaseVersion base = request.baseVersion().or(() -> rules.defaultBase(app)).orElseThrow(() -> new PlanningException(
                "Cannot infer the Flex base version: no annotated "
                        + rules.channel(RepoRole.APP).display().replace("-alpha.N", "")
                        + " tag is merged into " + stack.app().releaseBranch() + " of " + stack.app().name()
                        + ". Pass --version X.Y.Z."));
        Map<String, TagPattern> channels = new LinkedHashMap<>();
        Map<String, Supplier<String>> nextTags = new LinkedHashMap<>();
        for (StackRepo repo : stack.tagged()) {
            channels.put(repo.name(), rules.channel(repo.role()));
            ChannelTags tags = tagsOf(tagsByRepo, repo);
            nextTags.put(repo.name(), switch (repo.role()) {
                case APP -> () -> rules.nextAppTag(tags, base);
                // The alpha number is coordinated: oe-core reuses the N of the app's next alpha.
                case ROBOT_OS -> () -> rules.nextRobotOsTag(tags, base, rules.nextAlphaNumber(app, base));
                case FIRMWARE -> () -> rules.nextFirmwareTag(tags);
                case REFERENCE -> throw new IllegalStateException("reference repos are never tagged");
            });
        }
        List<String> description = new ArrayList<>(rules.describe());
        description.add("Base version " + base + (inferred ? " (inferred: " + rules.defaultBaseRule() + ")." : " (given)."));
        return new Rules(channels, nextTags, Optional.of(base), inferred, description);
    }

    private Rules ot2Rules(PlanRequest request, StackDefinition stack, Map<String, ChannelTags> tagsByRepo,
                           LocalDate easternDate) {
        CalendarTagRule rule = request.releaseType() == ReleaseType.INTERNAL
                ? new Ot2CalendarTags(request.stability(), easternDate)
                : new Ot2ExternalCalendarTags(request.stability(), easternDate);
        // One tag for both repos, so the build counter has to see the names already used in either.
        List<TagRef> bothRepos = stack.tagged().stream()
                .flatMap(repo -> tagsOf(tagsByRepo, repo).allAnnotated(ANY).stream())
                .toList();
        Supplier<String> shared = memoize(() -> rule.next(bothRepos));
        Map<String, TagPattern> channels = new LinkedHashMap<>();
        Map<String, Supplier<String>> nextTags = new LinkedHashMap<>();
        for (StackRepo repo : stack.tagged()) {
            channels.put(repo.name(), rule.channel());
            nextTags.put(repo.name(), shared);
        }
        return new Rules(channels, nextTags, Optional.empty(), false, rule.describe());
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    private static ChannelTags tagsOf(Map<String, ChannelTags> tagsByRepo, StackRepo repo) {
        ChannelTags tags = tagsByRepo.get(repo.name());
        if (tags == null) {
            throw new IllegalArgumentException("no tags read for " + repo.name());
        }
        return tags;
    }

    private static void warnAboutLightweight(ChannelTags tags, TagPattern channel, List<String> warnings) {
        List<TagRef> lightweight = tags.lightweight(channel.regex());
        if (lightweight.isEmpty()) {
            return;
        }
        List<String> names = lightweight.stream().limit(LIGHTWEIGHT_NAMES_SHOWN).map(TagRef::name).toList();
        warnings.add(tags.repo() + ": ignoring " + lightweight.size() + " lightweight tag(s) matching " + channel.display()
                + ": " + String.join(", ", names) + (lightweight.size() > names.size() ? ", ..." : "")
                + ". Release tags must be annotated (git tag -a TAG -m '...') so creator-date order is the release order.");
    }

    static List<String> nextSteps(Platform platform, Optional<String> releaseTag) {
        return releaseTag.map(tag -> List.of(
                        "scripts/planner track-builds --non-interactive --path " + platform.cliName() + " --tag " + tag + " --wait",
                        "scripts/planner invalidate-cloudfront --non-interactive --path " + platform.cliName() + " --tag " + tag))
                .orElse(List.of());
    }
}
