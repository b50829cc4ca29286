package dev.roboflare.cli.commands;

import dev.roboflare.cli.CliException;
import dev.roboflare.cli.http.Created;
import dev.roboflare.cli.output.ProgressBar;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.OperatorApi;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "artifact", description = "Upload robot application builds.",
        subcommands = ArtifactCommand.Push.class)
public final class ArtifactCommand {

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Upload FILE (streamed, with a progress bar on a terminal). The same bytes with the same "
                    + "kind and name are stored once: pushing again returns the existing artifact.")
    static final class Push extends OperatorCommand {
        @Parameters(paramLabel = "FILE", description = "the build: an app tarball (.tar.gz) or an image archive")
        Path file;

        @Option(names = "--kind", required = true, paramLabel = "KIND", converter = KindConverter.class,
                description = "app_tarball, container_image, mcu_firmware or full_image_ab")
        ArtifactKind kind;

        @Option(names = "--name", paramLabel = "NAME",
                description = "artifact name (releases are unique per name and semver); default: FILE's name "
                        + "without .tar.gz/.tgz/.tar")
        String name;

        @Option(names = "--progress", negatable = true,
                description = "show the upload progress bar on stderr (default: only on a terminal)")
        Boolean progress;

        @Option(names = "--json", description = "print the artifact as JSON")
        boolean json;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new CliException(file + " is not a readable file");
            }
            String artifactName = name != null ? name : defaultName(file);
            boolean showProgress = progress == null ? session().terminal() : progress;
            ProgressBar bar = new ProgressBar(err(), file.getFileName().toString());
            Created<OperatorApi.Artifact> result = client().artifacts().upload(file, kind, artifactName,
                    (sent, total) -> {
                        if (showProgress) {
                            bar.update(sent, total);
                        }
                    });
            OperatorApi.Artifact a = result.value();
            if (json) {
                printJson(a);
            } else {
                out().println("artifact " + a.id() + (result.created() ? " uploaded" : " already stored (same bytes)")
                        + ": " + a.name() + " (" + a.kind().wire() + "), " + ProgressBar.bytes(a.size())
                        + ", sha256 " + a.sha256());
                out().println("next: roboflare release create --artifact " + a.id()
                        + " --semver X.Y.Z --manifest '{\"entrypoint\": [\"bin/app\"]}'");
            }
            return 0;
        }

        static String defaultName(Path file) {
            String n = file.getFileName().toString();
            for (String ext : new String[] {".tar.gz", ".tgz", ".tar", ".img", ".bin"}) {
                if (n.endsWith(ext) && n.length() > ext.length()) {
                    return n.substring(0, n.length() - ext.length());
                }
            }
            return n;
        }
    }

    static final class KindConverter implements picocli.CommandLine.ITypeConverter<ArtifactKind> {
        @Override
        public ArtifactKind convert(String value) {
            try {
                return ArtifactKind.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
