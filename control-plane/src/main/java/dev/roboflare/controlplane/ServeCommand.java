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

    @Override
    public Integer call() throws Exception {
        ServerConfig config = new ServerConfig(port, dataDir, bind, publicUrl, schedulerInterval, downloadUrlTtl);
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
