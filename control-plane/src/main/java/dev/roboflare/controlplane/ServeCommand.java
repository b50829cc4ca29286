package dev.roboflare.controlplane;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the control plane HTTP server until stopped (SIGTERM / Ctrl-C).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--data-dir", defaultValue = "./data",
            description = "Database, artifacts, operator token and signing key live here. Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(names = "--public-url",
            description = "Base URL robots use to reach this server, e.g. http://cp.lab:8080; "
                    + "default: taken from each request's Host header")
    String publicUrl;

    @Option(names = "--scheduler-interval", defaultValue = "15s", converter = DurationConverter.class,
            description = "How often scheduled deployments are checked for being due. Default: ${DEFAULT-VALUE}")
    Duration schedulerInterval;

    @Option(names = "--download-url-ttl", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long a signed artifact download URL stays valid. Default: ${DEFAULT-VALUE}")
    Duration downloadUrlTtl;

    @Option(names = "--database-url",
            description = "JDBC URL of the database, e.g. jdbc:postgresql://db:5432/roboflare; "
                    + "default: SQLite in the data dir (roboflare.db)")
    String databaseUrl;

    @Option(names = "--database-user", description = "Database user (PostgreSQL); may also be in the URL")
    String databaseUser;

    @Option(names = "--database-password-file",
            description = "File whose first line is the database password (kept off the command line)")
    Path databasePasswordFile;

    @Option(names = "--idempotency-key-ttl", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long an Idempotency-Key and its stored response are kept. Default: ${DEFAULT-VALUE}")
    Duration idempotencyKeyTtl;

    @Override
    public Integer call() throws Exception {
        String databasePassword = databasePasswordFile == null ? System.getenv("ROBOFLARE_DATABASE_PASSWORD")
                : java.nio.file.Files.readAllLines(databasePasswordFile).stream().findFirst().orElse("");
        ServerConfig config = new ServerConfig(port, dataDir, bind, publicUrl, schedulerInterval, downloadUrlTtl,
                databaseUrl, databaseUser, databasePassword, idempotencyKeyTtl);
        ControlPlane controlPlane = ControlPlane.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            controlPlane.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
