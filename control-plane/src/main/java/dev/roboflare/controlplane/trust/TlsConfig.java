package dev.roboflare.controlplane.trust;

import io.javalin.config.JavalinConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the control plane: a PKCS#12 key store holding the server key and its certificate chain (e.g. from
 * {@code openssl pkcs12 -export -in fullchain.pem -inkey key.pem -out cp.p12}). With it the control plane listens
 * on HTTPS only (TLS 1.2+, Jetty's default cipher suites).
 */
public record TlsConfig(Path keyStore, String password) {
    public TlsConfig {
        if (!Files.isReadable(keyStore)) {
            throw new IllegalArgumentException("TLS key store " + keyStore + " is not a readable file");
        }
    }

    /** Replaces Javalin's plain HTTP connector with one HTTPS connector on {@code host:port}. */
    public void apply(JavalinConfig config, String host, int port) {
        config.jetty.addConnector((server, httpConfig) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(keyStore.toAbsolutePath().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(password);
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            // No SNI host check: robots may reach the control plane by IP address or an internal name.
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            src.setSniHostCheck(false);
            httpConfig.addCustomizer(src);
            ServerConnector connector = new ServerConnector(server, ssl, new HttpConnectionFactory(httpConfig));
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        });
    }
}
