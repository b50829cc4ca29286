package dev.roboflare.planner.cli;

import dev.roboflare.planner.PlanningException;
import dev.roboflare.planner.config.RemoteConfig;
import dev.roboflare.planner.git.BranchNames;
import dev.roboflare.planner.git.ChannelTags;
import dev.roboflare.planner.git.CommitLog;
import dev.roboflare.planner.git.RepoSync;
import dev.roboflare.planner.git.SyncOutcome;
import dev.roboflare.planner.output.PlanJson;
import dev.roboflare.planner.output.PlanPrinter;
import dev.roboflare.planner.plan.CloneReader;
import dev.roboflare.planner.plan.FlexBase;
import dev.roboflare.planner.plan.PlanRequest;
import dev.roboflare.planner.plan.ReleasePlan;
import dev.roboflare.planner.plan.ReleasePlanner;
import dev.roboflare.planner.stack.Platform;
import dev.roboflare.planner.stack.ReleaseType;
import dev.roboflare.planner.stack.RepoRole;
import dev.roboflare.planner.stack.Stability;
import dev.roboflare.planner.stack.StackDefinition;
import dev.roboflare.planner.stack.StackRepo;
import dev.roboflare.planner.version.BaseVersion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code go}: sync the stack's clones, find each repo's latest channel tag, and print the tags to
 * create and the commands to create and push them. Flags the engineer leaves out are asked for
 * when a terminal is attached; otherwise the run stops and names the missing flag.
 */
@Command(
        name = "go",
        description = "Plan a Flex or OT-2 release: latest tags, what needs a new tag, and the commands to run.",
        footer = {"", "Example:",
                "  roboflare-planner go --non-interactive --skip-assumptions --path flex --release-type internal --stability unstable"})
final class GoCommand implements Callable<Integer> {
    static final String WORKSPACE_ENV = "ROBOFLARE_WORKSPACE";

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--non-interactive", description = "Never prompt; a missing flag is an error.")
    boolean nonInteractive;

    @Option(names = "--skip-assumptions", description = "Do not show (or ask to confirm) the planning assumptions.")
    boolean skipAssumptions;

    @Option(names = "--path", paramLabel = "flex|ot2", description = "Robot stack to plan.")
    String path;

    @Option(names = "--release-type", paramLabel = "internal|external", description = "Internal (seeds' rules) or external (public conventions).")
    String releaseType;

    @Option(names = "--stability", paramLabel = "STABILITY", description = "Flex: stable|unstable (unstable = alpha). OT-2: stable|alpha|beta.")
    String stability;

    @Option(names = "--version", paramLabel = "X.Y.Z",
            description = "Flex base version, X.Y.Z or vX.Y.Z. Default: the highest ot3@X.Y.Z base merged into edge;"
                    + " external: the highest chore_release-X.Y.Z branch of opentrons, else the highest vX.Y.Z base on edge.")
    String version;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Directory holding the local clones. Default: $" + WORKSPACE_ENV + ", else ~/roboflare-workspace.")
    Path workspace;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Remotes config (remote.default=URL with {repo}, remote.<repo>=URL). Default: <workspace>/"
                    + RemoteConfig.WORKSPACE_FILE_NAME + " if present, else https://github.com/Opentrons/<repo>.git.")
    Path config;

    @Option(names = "--no-sync", description = "Do not clone or fetch; plan offline from the clones as they are.")
    boolean noSync;

    @Option(names = "--json", description = "Print the plan as one JSON document.")
    boolean json;

    @Option(names = "--now", paramLabel = "INSTANT", description = "Fix the clock, e.g. 2026-05-26T15:00:00Z, for reproducible plans.")
    String now;

    private final Prompter prompter;
    /** Set once --path is known (flag or prompt), so stability errors can explain per platform. */
    private Platform platform;

    GoCommand(Prompter prompter) {
        this.prompter = prompter;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        platform = choose("--path", path, Platform::fromCli,
                Arrays.stream(Platform.values()).map(Platform::cliName).toList(), "Robot stack");
        ReleaseType type = choose("--release-type", releaseType, ReleaseType::fromCli,
                Arrays.stream(ReleaseType.values()).map(ReleaseType::cliName).toList(), "Release type");
        StackDefinition stack = StackDefinition.of(platform);
        Stability chosenStability = choose("--stability", stability, word -> Stability.fromCli(word),
                stack.stabilities().stream().map(Stability::cliName).toList(), "Stability");
        checkStabilityFor(stack, chosenStability);
        if (version != null && platform == Platform.OT2) {
            throw new ParameterException(spec.commandLine(), "--version is for Flex only: OT-2 versions come from the"
                    + " America/New_York date (use --now to plan for another moment)");
        }
        Optional<BaseVersion> base = Optional.ofNullable(version).map(this::parseVersion);
        Instant clock = now == null ? Instant.now() : parseNow(now);
        Path ws = resolveWorkspace();

        if (interactive() && !skipAssumptions && !json) {
            confirmAssumptions(stack, err);
        }

        RemoteConfig remotes = RemoteConfig.load(Optional.ofNullable(config), ws);
        List<SyncOutcome> sync = new ArrayList<>(noSync ? List.of() : sync(stack, ws, remotes, err));
        Clones clones = new Clones(ws, sync, err);

        if (platform == Platform.FLEX && base.isEmpty() && interactive()) {
            base = askBaseVersion(type, chosenStability, stack, clones);
        }

        PlanRequest request = new PlanRequest(platform, type, chosenStability, base, clock, ws);
        ReleasePlan plan = new ReleasePlanner(new CommitLog(), remotes).plan(request, clones);
        List<String> syncWarnings = new ArrayList<>();
        for (SyncOutcome outcome : sync) {
            if (outcome.isProblem()) {
                syncWarnings.add(outcome.repo() + ": " + outcome.detail());
            }
        }
        plan = plan.withWarningsFirst(syncWarnings);
        if (json) {
            out.println(PlanJson.render(plan, sync, ToolVersion.current()));
            out.flush();
        } else {
            new PlanPrinter(out).print(plan, !skipAssumptions);
        }
        return 0;
    }

    /**
     * Reads the clones for the planner. A branch other than the release branch (a Flex external
     * chore_release isolation branch) is fast-forwarded from origin first, unless --no-sync.
     */
    private final class Clones implements CloneReader {
        private final Path ws;
        private final List<SyncOutcome> sync;
        private final PrintWriter err;
        private final Map<String, ChannelTags> read = new LinkedHashMap<>();
        private final Map<String, Set<String>> branches = new LinkedHashMap<>();

        Clones(Path ws, List<SyncOutcome> sync, PrintWriter err) {
            this.ws = ws;
            this.sync = sync;
            this.err = err;
        }

        @Override
        public ChannelTags tags(StackRepo repo, String branch) {
            String key = repo.name() + " " + branch;
            ChannelTags known = read.get(key);
            if (known != null) {
                return known;
            }
            if (!noSync && !branch.equals(repo.releaseBranch())) {
                err.println("sync " + repo.name() + " " + branch);
                SyncOutcome outcome = new RepoSync().fastForwardBranch(repo.name(), ws, branch);
                err.println("  " + outcome.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + outcome.detail());
                err.flush();
                sync.add(outcome);
            }
            ChannelTags tags = ChannelTags.read(repo.name(), ws.resolve(repo.name()), branch);
            read.put(key, tags);
            return tags;
        }

        @Override
        public Set<String> branches(StackRepo repo) {
            return branches.computeIfAbsent(repo.name(), name -> BranchNames.read(name, ws.resolve(name)));
        }
    }

    private boolean interactive() {
        return !nonInteractive && prompter.available();
    }

    /** Picks a flag's value, asking for it on a terminal, or failing with the flag's name when it cannot ask. */
    private <T> T choose(String flag, String given, Function<String, Optional<T>> parse, List<String> choices, String question) {
        String expected = String.join("|", choices);
        if (given != null) {
            return parse.apply(given.trim())
                    .filter(value -> choices.contains(given.trim().toLowerCase(Locale.ROOT)) || !flag.equals("--stability"))
                    .orElseThrow(() -> new ParameterException(spec.commandLine(),
                            "Invalid value for " + flag + ": '" + given + "' (expected " + expected + ")"
                                    + stabilityHint(flag, given)));
        }
        if (!interactive()) {
            throw new ParameterException(spec.commandLine(), "Missing " + flag + " (" + expected + "): "
                    + (nonInteractive ? "--non-interactive needs it as a flag." : "no terminal is attached to ask, so pass it as a flag."));
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            String answer = prompter.ask(question + " [" + expected + "]: ");
            if (answer == null) {
                break;
            }
            String word = answer.trim().toLowerCase(Locale.ROOT);
            Optional<T> value = choices.contains(word) ? parse.apply(word) : Optional.empty();
            if (value.isPresent()) {
                return value.get();
            }
            spec.commandLine().getErr().println("  '" + answer.trim() + "' is not one of " + expected + stabilityHint(flag, word));
            spec.commandLine().getErr().flush();
        }
        throw new ParameterException(spec.commandLine(), "Missing " + flag + " (" + expected + "): no valid answer given.");
    }

    /** Flex has no beta and calls its alphas "unstable"; say so instead of a bare "invalid value". */
    private String stabilityHint(String flag, String given) {
        if (!flag.equals("--stability") || platform == null) {
            return "";
        }
        String word = given.trim().toLowerCase(Locale.ROOT);
        if (platform == Platform.FLEX && word.equals("beta")) {
            return ". Beta is not offered for Flex: go suggests stable and unstable (alpha) only; beta tags are made by hand.";
        }
        if (platform == Platform.FLEX && word.equals("alpha")) {
            return ". Flex alpha builds are --stability unstable.";
        }
        if (platform == Platform.OT2 && word.equals("unstable")) {
            return ". OT-2 prereleases are --stability alpha or beta.";
        }
        return "";
    }

    private void checkStabilityFor(StackDefinition stack, Stability chosen) {
        if (!stack.stabilities().contains(chosen)) {
            throw new ParameterException(spec.commandLine(), "--stability " + chosen.cliName() + " is not offered for "
                    + stack.platform().displayName() + ". " + stack.stabilityNote());
        }
    }

    private BaseVersion parseVersion(String text) {
        try {
            return BaseVersion.parse(text);
        } catch (PlanningException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Instant parseNow(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(),
                    "--now must be an ISO-8601 instant with an offset, e.g. 2026-05-26T15:00:00Z; got '" + text + "'");
        }
    }

    private Path resolveWorkspace() {
        if (workspace != null) {
            return workspace.toAbsolutePath().normalize();
        }
        String fromEnv = System.getenv(WORKSPACE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), "roboflare-workspace");
    }

    private void confirmAssumptions(StackDefinition stack, PrintWriter err) {
        err.println("Assumptions for this " + stack.platform().displayName() + " plan:");
        err.println("  - release branches are default-branch HEADs: " + String.join(", ",
                stack.tagged().stream().map(r -> r.name() + " " + r.releaseBranch()).toList())
                + (stack.platform() == Platform.FLEX && ReleaseType.fromCli(String.valueOf(releaseType)).orElse(null)
                        == ReleaseType.EXTERNAL ? "; Flex external uses chore_release-X.Y.Z instead where a repo has it" : ""));
        err.println("  - only annotated tags count; lightweight tags are ignored");
        err.println("  - nothing is tagged or pushed by this tool; robot-stack-infra is reference only");
        err.flush();
        String answer = prompter.ask("Continue? [Y/n]: ");
        if (answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("n")) {
            throw new PlanningException("Stopped at the assumptions prompt (pass --skip-assumptions to skip it).");
        }
    }

    private Optional<BaseVersion> askBaseVersion(ReleaseType type, Stability chosen, StackDefinition stack, Clones clones) {
        StackRepo app = stack.repo(RepoRole.APP);
        Optional<FlexBase> guess = FlexBase.infer(type, chosen, clones.tags(app, app.releaseBranch()),
                type == ReleaseType.EXTERNAL ? clones.branches(app) : Set.of());
        Optional<BaseVersion> inferred = guess.map(FlexBase::version);
        String from = guess.map(g -> g.source().equals("branch") ? ", from " + g.from() : "").orElse("");
        for (int attempt = 0; attempt < 3; attempt++) {
            String answer = prompter.ask("Base version X.Y.Z" + inferred.map(v -> " [" + v + from + "]").orElse("") + ": ");
            if (answer == null || answer.isBlank()) {
                return inferred;
            }
            try {
                return Optional.of(BaseVersion.parse(answer));
            } catch (PlanningException e) {
                spec.commandLine().getErr().println("  " + e.getMessage());
                spec.commandLine().getErr().flush();
            }
        }
        return inferred;
    }

    private List<SyncOutcome> sync(StackDefinition stack, Path ws, RemoteConfig remotes, PrintWriter err) {
        RepoSync repoSync = new RepoSync();
        List<SyncOutcome> outcomes = new ArrayList<>();
        for (StackRepo repo : stack.allRepos()) {
            boolean reference = repo.role() == RepoRole.REFERENCE;
            String url = remotes.urlFor(repo.name());
            err.println("sync " + repo.name() + " (" + url + ")");
            err.flush();
            SyncOutcome outcome = repoSync.sync(repo.name(), ws, url, repo.releaseBranch());
            err.println("  " + outcome.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + outcome.detail());
            err.flush();
            if (outcome.kind() == SyncOutcome.Kind.FAILED && !reference) {
                throw new PlanningException("Sync of " + repo.name() + " failed: " + outcome.detail()
                        + "\nFix the remote (see --config) or plan from the clones as they are with --no-sync.");
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }
}
