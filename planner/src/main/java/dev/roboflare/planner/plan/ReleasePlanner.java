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
import dev.roboflare.planner.version.BuildrootTraditionalTags;
import dev.roboflare.planner.version.ChoreReleaseBranches;
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
import java.util.Set;
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
            Map<String, ChannelTags> tags,
            Map<String, TagPattern> channels,
            Map<String, Supplier<String>> nextTags,
            Map<String, TagRule> tagRules,
            Optional<FlexBase> base,
            boolean baseInferred,
            List<String> description) {
    }

    /**
     * @param clones reads each tagged repo's tags from the branch the rules pick: the default branch, or
     *               for Flex external the {@code chore_release-X.Y.Z} isolation branch where it exists
     */
    public ReleasePlan plan(PlanRequest request, CloneReader clones) {
        StackDefinition stack = StackDefinition.of(request.platform());
        LocalDate easternDate = CalendarTagRule.easternDate(request.now());
        Rules rules = request.platform() == Platform.FLEX
                ? flexRules(request, stack, clones)
                : ot2Rules(request, stack, clones, easternDate);
        Map<String, ChannelTags> tagsByRepo = rules.tags();
        List<String> warnings = new ArrayList<>();

        // First pass: where each branch stands against its latest channel tag.
        Map<String, Optional<TagRef>> latest = new LinkedHashMap<>();
        for (StackRepo repo : stack.tagged()) {
            ChannelTags tags = tagsOf(tagsByRepo, repo);
            TagPattern channel = rules.channels().get(repo.name());
            latest.put(repo.name(), tags.latest(channel.regex()));
            warnAboutLightweight(tags, channel, warnings);
            if (tags.branchRef().startsWith("refs/remotes/")) {
                warnings.add(repo.name() + ": no local branch " + tags.branch() + "; planned from origin/"
                        + tags.branch() + " (git checkout " + tags.branch() + " creates it)");
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
        // External OT-2 repos do not share a tag (buildroot keeps its own line): their messages name the app tag.
        Optional<String> sharedOt2Tag = request.platform() == Platform.OT2 && request.releaseType() == ReleaseType.INTERNAL
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
                    + (existing.annotated() ? " (not on " + tags.branch() + ")" : " (lightweight)")
                    + "; git tag -a will refuse it. Delete or rename that tag, or choose another name by hand."));
            CommitRange commits = nextTag.isPresent()
                    ? commitLog.since(tags.directory(), tags.tip(), latestTag.map(TagRef::commit), CommitLog.DEFAULT_LIMIT)
                    : CommitRange.empty();
            Optional<String> compare = latestTag.map(t ->
                    remotes.githubWebUrl(repo.name()) + "/compare/" + t.name() + "..." + tags.branch());
            repos.add(new RepoPlan(repo, tags.directory(), rules.channels().get(repo.name()).display(),
                    tags.branch(), tags.tip(), latestTag, nextTag.isPresent(), nextTag, message, compare, commits,
                    rules.tagRules().get(repo.name())));
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
                    + " tag is merged into " + tagsByRepo.get("ot3-firmware").branch()
                    + ", so numbering starts at 1; check it against the firmware team's counter.");
        }

        return new ReleasePlan(request, stack, rules.base(), rules.baseInferred(), easternDate, List.copyOf(repos),
                List.copyOf(pushOrder), releaseTag, nextSteps(request.platform(), releaseTag), rules.description(),
                List.copyOf(warnings));
    }

    /** Seeds: a new tag is needed when the branch tip is not the commit of the latest channel tag, or there is none. */
    static boolean needsTag(ChannelTags tags, Optional<TagRef> latest) {
        return latest.map(t -> !t.commit().equals(tags.tip())).orElse(true);
    }

    private Rules flexRules(PlanRequest request, StackDefinition stack, CloneReader clones) {
        FlexTagRules rules = new FlexTagRules(request.releaseType(), request.stability());
        boolean external = request.releaseType() == ReleaseType.EXTERNAL;
        StackRepo appRepo = stack.app();
        ChannelTags appOnDefault = clones.tags(appRepo, appRepo.releaseBranch());
        boolean inferred = request.baseVersion().isEmpty();
        FlexBase base = request.baseVersion().map(FlexBase::given)
                .or(() -> FlexBase.infer(request.releaseType(), request.stability(), appOnDefault,
                        external ? clones.branches(appRepo) : Set.of()))
                .orElseThrow(() -> new PlanningException(
                        "Cannot infer the Flex base version: no annotated "
                                + rules.channel(RepoRole.APP).display().replace("-alpha.N", "")
                                + " tag is merged into " + appRepo.releaseBranch() + " of " + appRepo.name()
                                + (external ? " and it has no chore_release-X.Y.Z branch" : "")
                                + ". Pass --version X.Y.Z."));
        BaseVersion version = base.version();
        String isolation = ChoreReleaseBranches.branchFor(version);

        // Flex external: each repo tags its chore_release-X.Y.Z isolation branch when it has one (robot-stack's go.py);
        // internal always tags the default branch, as the seeds say.
        Map<String, ChannelTags> tags = new LinkedHashMap<>();
        for (StackRepo repo : stack.tagged()) {
            boolean onIsolation = external && clones.branches(repo).contains(isolation);
            tags.put(repo.name(), onIsolation ? clones.tags(repo, isolation)
                    : repo == appRepo ? appOnDefault : clones.tags(repo, repo.releaseBranch()));
        }
        ChannelTags app = tags.get(appRepo.name());

        Map<String, TagPattern> channels = new LinkedHashMap<>();
        Map<String, Supplier<String>> nextTags = new LinkedHashMap<>();
        Map<String, TagRule> tagRules = new LinkedHashMap<>();
        String kind = request.releaseType().cliName();
        String flavour = request.stability().prereleaseLabel().orElse("stable");
        for (StackRepo repo : stack.tagged()) {
            channels.put(repo.name(), rules.channel(repo.role()));
            ChannelTags repoTags = tags.get(repo.name());
            String branchSource = repoTags.branch().equals(isolation) && external ? "chore_release" : "default";
            nextTags.put(repo.name(), switch (repo.role()) {
                case APP -> () -> rules.nextAppTag(repoTags, version);
                // The alpha number is coordinated: oe-core reuses the N of the app's next alpha.
                case ROBOT_OS -> () -> rules.nextRobotOsTag(repoTags, version, rules.nextAlphaNumber(app, version));
                case FIRMWARE -> () -> rules.nextFirmwareTag(repoTags);
                case REFERENCE -> throw new IllegalStateException("reference repos are never tagged");
            });
            String branchNote = "; tagged on " + repoTags.branch() + (branchSource.equals("chore_release")
                    ? " (isolation branch " + isolation + ")"
                    : external ? " (default branch: no " + isolation + " in " + repo.name() + ")" : " (default branch)");
            tagRules.put(repo.name(), switch (repo.role()) {
                case APP -> new TagRule("flex_" + kind + "_app_" + flavour, branchSource, Optional.of(version.toString()),
                        base.source(), base.from(), rules.appRuleText(repoTags.branch()) + branchNote + ".");
                case ROBOT_OS -> new TagRule("flex_" + kind + "_robot_os_" + flavour, branchSource,
                        Optional.of(version.toString()), base.source(), base.from(),
                        rules.robotOsRuleText(repoTags.branch()) + branchNote + ".");
                case FIRMWARE -> new TagRule("flex_" + kind + "_firmware_counter", branchSource, Optional.empty(), "counter",
                        repoTags.branch(), rules.firmwareRuleText(repoTags.branch()) + branchNote + ".");
                case REFERENCE -> throw new IllegalStateException("reference repos are never tagged");
            });
        }
        List<String> description = new ArrayList<>(rules.describe());
        description.add("Base version " + version + switch (base.source()) {
            case "given" -> " (given).";
            case "branch" -> " (inferred from the highest chore_release branch of " + appRepo.name() + ": " + base.from() + ").";
            default -> " (inferred: " + (external ? "no chore_release-X.Y.Z branch in " + appRepo.name() + ", so the "
                    : "") + "highest " + rules.channel(RepoRole.APP).display().replace("-alpha.N", "")
                    + " base merged into " + base.from() + ").";
        });
        if (external) {
            description.add("Release branches: " + String.join(", ", tags.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().branch()).toList()) + ".");
        }
        return new Rules(tags, channels, nextTags, tagRules, Optional.of(base), inferred, description);
    }

    private Rules ot2Rules(PlanRequest request, StackDefinition stack, CloneReader clones, LocalDate easternDate) {
        Map<String, ChannelTags> tags = new LinkedHashMap<>();
        for (StackRepo repo : stack.tagged()) {
            tags.put(repo.name(), clones.tags(repo, repo.releaseBranch()));
        }
        Map<String, TagPattern> channels = new LinkedHashMap<>();
        Map<String, Supplier<String>> nextTags = new LinkedHashMap<>();
        Map<String, TagRule> tagRules = new LinkedHashMap<>();
        String flavour = request.stability().prereleaseLabel().orElse("stable");
        if (request.releaseType() == ReleaseType.INTERNAL) {
            Ot2CalendarTags rule = new Ot2CalendarTags(request.stability(), easternDate);
            // One tag for both repos, so the build counter has to see the names already used in either.
            List<TagRef> bothRepos = stack.tagged().stream()
                    .flatMap(repo -> tags.get(repo.name()).allAnnotated(ANY).stream())
                    .toList();
            Supplier<String> shared = memoize(() -> rule.next(bothRepos));
            for (StackRepo repo : stack.tagged()) {
                channels.put(repo.name(), rule.channel());
                nextTags.put(repo.name(), shared);
                tagRules.put(repo.name(), new TagRule("ot2_internal_calendar_" + flavour, "default",
                        Optional.of(easternDate.toString()), "date",
                        "America/New_York date " + easternDate + " and the internal@ tags of opentrons-ot2 and buildroot",
                        rule.channel().display() + ": DNN = day*100 + build, build = highest same-day build with the same"
                                + " suffix in opentrons-ot2 and buildroot + 1 (internal-release seeds); buildroot takes the"
                                + " app's tag; tagged on " + tags.get(repo.name()).branch() + " (default branch)."));
            }
            return new Rules(tags, channels, nextTags, tagRules, Optional.empty(), false, rule.describe());
        }

        // External: the app numbers calendar builds from its own tags; buildroot continues its own line.
        Ot2ExternalCalendarTags rule = new Ot2ExternalCalendarTags(request.stability(), easternDate);
        StackRepo appRepo = stack.app();
        ChannelTags app = tags.get(appRepo.name());
        List<TagRef> appTags = app.allAnnotated(ANY);
        String month = easternDate.getYear() + "-" + String.format("%02d", easternDate.getMonthValue());
        for (StackRepo repo : stack.tagged()) {
            ChannelTags repoTags = tags.get(repo.name());
            if (repo.role() == RepoRole.APP) {
                channels.put(repo.name(), rule.channel());
                nextTags.put(repo.name(), memoize(() -> rule.next(appTags)));
                tagRules.put(repo.name(), new TagRule("ot2_external_app_" + flavour, "default",
                        Optional.of(rule.baseDisplay(appTags)), "date",
                        "America/New_York month " + month + " and the vYY.M.N tags of " + repo.name(),
                        rule.ruleText() + " (robot-stack ot2_tag_allocation.py at 62e72b6); tagged on "
                                + repoTags.branch() + " (default branch)."));
            } else {
                TagPattern line = BuildrootTraditionalTags.channel();
                channels.put(repo.name(), line);
                Optional<TagRef> latest = repoTags.latest(line.regex());
                List<TagRef> calendar = repoTags.mergedAnnotated(ANY).stream()
                        .filter(t -> Ot2ExternalCalendarTags.isCalendar(t.name())).toList();
                nextTags.put(repo.name(), memoize(() -> BuildrootTraditionalTags.next(latest, repoTags.branch(), calendar)));
                tagRules.put(repo.name(), new TagRule("ot2_external_buildroot_line", "default",
                        latest.map(TagRef::name), "latest_tag",
                        latest.map(t -> t.name() + " on " + repoTags.branch())
                                .orElse("no traditional tag on " + repoTags.branch()),
                        "buildroot's own line vMAJOR.MINOR.PATCH: one patch above the latest annotated line tag merged into "
                                + repoTags.branch() + " (prereleases count; calendar-style tags are ignored; none: refused)"
                                + " (robot-stack go.py at 62e72b6); tagged on " + repoTags.branch() + " (default branch)."));
            }
        }
        return new Rules(tags, channels, nextTags, tagRules, Optional.empty(), false, rule.describe());
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
