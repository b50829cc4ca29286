package dev.roboflare.controlplane.trust;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
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

    /** The HTTPS connector (host, port and timeouts are set by the caller, as for plain HTTP). */
    public ServerConnector connector(Server server, HttpConfiguration httpConfig) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keyStore.toAbsolutePath().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(password);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // No SNI host check: robots may reach the control plane by IP address or an internal name.
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        httpConfig.addCustomizer(src);
        return new ServerConnector(server, ssl, new HttpConnectionFactory(httpConfig));
    }
}
