package dev.roboflare.planner.cli;

import dev.roboflare.planner.assets.AssetReport;
import dev.roboflare.planner.assets.PublishedAssets;
import dev.roboflare.planner.output.AssetsPrinter;
import dev.roboflare.planner.stack.ChannelHost;
import dev.roboflare.planner.stack.ReleaseTag;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code assets}: is the tag's version in the published releases.json files and updater YAMLs? */
@Command(
        name = "assets",
        description = "Check the channel host's app and robot releases.json and the electron-updater YAMLs for a tag's version.",
        footer = {"", "Exit codes: 0 the version is in every expected file, 3 it is missing from one (or one could not be read), 2 bad flags.", "",
                "Example:", "  roboflare-planner assets --path flex --tag ot3@8.5.0-alpha.0"})
final class AssetsCommand implements Callable<Integer> {
    static final int MISSING = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    TagOptions tagOptions = new TagOptions();

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Channel host base URL. Default: https://ot3-development.builds.opentrons.com (Flex) or"
                    + " https://ot2-development.builds.opentrons.com (OT-2); required for v-tags.")
    String baseUrl;

    @Option(names = "--json", description = "Print the report as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        ReleaseTag tag = tagOptions.parse(spec);
        ChannelHost host = ChannelHost.internal(tag.platform());
        if (baseUrl == null && !tag.internal()) {
            throw new ParameterException(spec.commandLine(), tag.name() + " is an external tag: the seeds name only the"
                    + " internal channel hosts, so pass the external one with --base-url");
        }
        String base = baseUrl == null ? host.baseUrl() : baseUrl.trim();
        AssetReport report;
        try {
            report = PublishedAssets.create().check(tag, host, base);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--base-url: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(AssetsPrinter.json(report, ToolVersion.current()));
            out.flush();
        } else {
            AssetsPrinter.print(report, out);
        }
        return report.allExpectedPresent() ? 0 : MISSING;
    }
}
