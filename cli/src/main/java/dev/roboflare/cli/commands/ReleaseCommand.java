package dev.roboflare.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.cli.CliException;
import dev.roboflare.cli.http.ControlPlaneClient;
import dev.roboflare.cli.output.Table;
import dev.roboflare.cli.output.Texts;
import dev.roboflare.protocol.OperatorApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "release", description = "Publish and list immutable releases.",
        subcommands = {ReleaseCommand.Create.class, ReleaseCommand.ListReleases.class, ReleaseSigning.Keygen.class,
                ReleaseSigning.Sign.class})
public final class ReleaseCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Publish a release: one artifact, one semver. Releases are immutable; publish a new one.")
    static final class Create extends OperatorCommand {
        @Option(names = "--artifact", required = true, paramLabel = "ID", description = "artifact id from 'artifact push'")
        String artifactId;

        @Option(names = "--semver", required = true, paramLabel = "X.Y.Z", description = "SemVer 2.0.0 version")
        String semver;

        @Option(names = "--notes", defaultValue = "", paramLabel = "TEXT", description = "release notes")
        String notes;

        @Option(names = "--manifest", required = true, paramLabel = "JSON|@FILE",
                description = "how the agent runs the app, e.g. '{\"entrypoint\": [\"bin/app\"]}' or @manifest.json")
        String manifest;

        @Option(names = "--json", description = "print the release as JSON")
        boolean json;

        @Override
        public Integer call() {
            OperatorApi.Release r = client().releases().create(
                    new OperatorApi.CreateRelease(artifactId, semver, notes, manifestJson(manifest)));
            if (json) {
                printJson(r);
            } else {
                out().println("release " + r.semver() + " published: id " + r.id() + " (artifact " + r.artifactId() + ")");
                out().println("next: roboflare deploy " + r.id() + " --robot ROBOT | --fleet FLEET");
            }
            return 0;
        }

        static JsonNode manifestJson(String value) {
            String text = value;
            if (value.startsWith("@")) {
                Path file = Path.of(value.substring(1));
                try {
                    text = Files.readString(file);
                } catch (IOException e) {
                    throw new CliException("cannot read manifest file " + file + ": " + e.getMessage(), e);
                }
            }
            try {
                return ControlPlaneClient.JSON.readTree(text);
            } catch (IOException e) {
                throw new CliException("--manifest is not valid JSON (" + Texts.firstLine(e.getMessage())
                        + "); pass e.g. '{\"entrypoint\": [\"bin/app\"]}' or @manifest.json", e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Releases, newest first.")
    static final class ListReleases extends OperatorCommand {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<OperatorApi.Release> releases = client().releases().list();
            if (json) {
                printJson(releases);
                return 0;
            }
            Table t = new Table("ID", "SEMVER", "ARTIFACT", "CREATED", "NOTES");
            for (OperatorApi.Release r : releases) {
                t.row(r.id(), r.semver(), r.artifactId(), Texts.time(r.createdAt()), Texts.firstLine(r.notes()));
            }
            out().print(t.render());
            return 0;
        }
    }
}
