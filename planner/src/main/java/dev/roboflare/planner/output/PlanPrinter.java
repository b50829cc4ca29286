package dev.roboflare.planner.output;

import dev.roboflare.planner.git.CommitSummary;
import dev.roboflare.planner.git.TagRef;
import dev.roboflare.planner.plan.PushStep;
import dev.roboflare.planner.plan.ReleasePlan;
import dev.roboflare.planner.plan.RepoPlan;
import dev.roboflare.planner.stack.Platform;
import dev.roboflare.planner.stack.ReleaseType;
import dev.roboflare.planner.stack.RepoRole;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints a plan for people: tables, links, commit lists and the commands to paste, in push order. */
public final class PlanPrinter {
    private final PrintWriter out;

    public PlanPrinter(PrintWriter out) {
        this.out = out;
    }

    public void print(ReleasePlan plan, boolean showAssumptions) {
        header(plan);
        if (showAssumptions) {
            section("Assumptions (hide with --skip-assumptions)");
            for (String line : assumptions(plan)) {
                out.println("  - " + line);
            }
        }
        if (!plan.warnings().isEmpty()) {
            // Up front: a warning can change which of the commands below are safe to paste.
            section("Warnings");
            plan.warnings().forEach(w -> out.println("  ! " + w));
        }
        latestTagsTable(plan);
        compareLinks(plan);
        commitsSince(plan);
        suggestedTags(plan);
        copyPaste(plan);
        pushOrder(plan);
        nextSteps(plan);
        section("Rules applied");
        plan.rules().forEach(rule -> out.println("  - " + rule));
        out.flush();
    }

    private void header(ReleasePlan plan) {
        var request = plan.request();
        out.println(request.platform().displayName() + " " + request.releaseType().cliName() + " "
                + request.stability().cliName() + " release plan (advisory: nothing is tagged or pushed)");
        plan.flexBase().ifPresent(base -> out.println("Base version: " + base.version() + switch (base.source()) {
            case "branch" -> " (inferred from branch " + base.from() + ")";
            case "tags" -> " (inferred from the tags on " + base.from() + ")";
            default -> "";
        }));
        out.println("Date (America/New_York): " + plan.easternDate() + "   now: " + request.now());
        out.println("Workspace: " + request.workspace().toAbsolutePath().normalize());
    }

    static List<String> assumptions(ReleasePlan plan) {
        List<String> lines = new ArrayList<>();
        String branches = String.join(", ", plan.repos().stream().map(r -> r.repo().name() + " " + r.branch()).toList());
        boolean flexExternal = plan.request().platform() == Platform.FLEX && plan.request().releaseType() == ReleaseType.EXTERNAL;
        lines.add(flexExternal
                ? "Release branches: chore_release-X.Y.Z of the base where a repo has it, else its default branch: " + branches + "."
                : "Release branches are default-branch HEADs (no chore_release branch): " + branches + ".");
        lines.add("Only annotated tags count; lightweight tags are ignored and reported.");
        lines.add("This tool never creates or pushes tags: you run the commands below.");
        lines.add("robot-stack-infra is synced for reference and is not tagged.");
        return lines;
    }

    private void latestTagsTable(ReleasePlan plan) {
        section("Latest channel tags");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REPO", "PATTERN", "LATEST TAG", "BRANCH", "TIP", "NEEDS TAG", "CHOSEN BY"});
        for (RepoPlan repo : plan.repos()) {
            rows.add(new String[] {repo.repo().name(), repo.pattern(), repo.latestTag().map(TagRef::name).orElse("(none)"),
                    repo.branch(), repo.shortTip(), repo.needsTag() ? "yes" : "no", repo.rule().brief()});
        }
        TextTable.print(out, rows);
    }

    private void compareLinks(ReleasePlan plan) {
        section("Compare");
        for (RepoPlan repo : plan.repos()) {
            out.println("  " + pad(repo.repo().name(), width(plan)) + "  "
                    + repo.compareUrl().orElse("(no channel tag yet: nothing to compare against)"));
        }
    }

    private void commitsSince(ReleasePlan plan) {
        section("Commits since the latest tag (newest first, up to 20)");
        for (RepoPlan repo : plan.repos()) {
            String since = repo.latestTag().map(TagRef::name).orElse("the start of history");
            if (!repo.needsTag()) {
                out.println("  " + repo.repo().name() + ": none, " + repo.branch() + " is at " + since);
                continue;
            }
            out.println("  " + repo.repo().name() + ": " + repo.commitsSince().total() + " since " + since);
            for (CommitSummary commit : repo.commitsSince().shown()) {
                out.println("    " + commit.shortSha() + " " + commit.subject() + " (" + commit.author() + ")");
            }
            int hidden = repo.commitsSince().total() - repo.commitsSince().shown().size();
            if (hidden > 0) {
                out.println("    ... and " + hidden + " more");
            }
        }
    }

    private void suggestedTags(ReleasePlan plan) {
        section("Suggested tags");
        for (RepoPlan repo : plan.repos()) {
            out.println("  " + pad(repo.repo().name(), width(plan)) + "  " + repo.nextTag().orElse(
                    "no new tag needed (" + repo.branch() + " is at " + repo.latestTag().map(TagRef::name).orElse("?") + ")"));
            out.println("  " + " ".repeat(width(plan)) + "  rule: " + repo.rule().text());
        }
    }

    private void copyPaste(ReleasePlan plan) {
        section("Copy-paste commands (run them yourself, in this order)");
        if (plan.pushOrder().isEmpty()) {
            out.println("  Nothing to tag: every branch tip is already its latest channel tag.");
            return;
        }
        for (PushStep step : plan.pushOrder()) {
            RepoPlan repo = plan.repo(step.repo());
            if (step.step() > 1) {
                out.println();
            }
            out.println("  # " + step.step() + ". " + repo.repo().name());
            TagCommands.forRepo(repo).forEach(line -> out.println("  " + line));
        }
    }

    private void pushOrder(ReleasePlan plan) {
        section("Tag push order (dependent stack repos first, app monorepo last)");
        int step = 1;
        for (RepoPlan repo : plan.repos()) {
            String note = repo.repo().role() == RepoRole.APP ? "app monorepo, always last" : repo.repo().role().label()
                    + ", if a new tag is needed";
            out.println("  " + step++ + ". " + pad(repo.repo().name(), width(plan)) + "  "
                    + pad(repo.nextTag().orElse("no new tag needed"), 28) + "  " + note);
        }
    }

    private void nextSteps(ReleasePlan plan) {
        section("Next steps after pushing the app tag");
        if (plan.nextSteps().isEmpty()) {
            out.println("  (no app tag to follow)");
            return;
        }
        String hosts = plan.request().platform() == Platform.FLEX ? "/app/* and /ot3-oe/*" : "/app/* and /ot2-br/*";
        out.println("  # follow the CI builds of " + plan.releaseTag().orElseThrow());
        out.println("  " + plan.nextSteps().get(0));
        out.println("  # after the builds finish, invalidate " + hosts + " on the channel host");
        out.println("  " + plan.nextSteps().get(1));
    }

    private void section(String title) {
        out.println();
        out.println(title);
    }

    private static int width(ReleasePlan plan) {
        return plan.repos().stream().mapToInt(r -> r.repo().name().length()).max().orElse(0);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
