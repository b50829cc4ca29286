package dev.roboflare.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway CA and a control-plane certificate it signed (for 127.0.0.1), made with the JDK's keytool, as an
 * operator would: {@code ca.pem} for the agents' --ca-bundle, {@code cp.p12} (key and chain) for serve
 * --tls-keystore.
 */
final class TestCertificates {
    static final String PASSWORD = "e2e-secret";

    final Path caPem;
    final Path serverPem;
    final Path keyStore;
    final Path passwordFile;

    private TestCertificates(Path dir) {
        this.caPem = dir.resolve("ca.pem");
        this.serverPem = dir.resolve("cp.pem");
        this.keyStore = dir.resolve("cp.p12");
        this.passwordFile = dir.resolve("cp.p12.password");
    }

    /** A CA alone (no server certificate): the wrong bundle for a control plane another CA signed. */
    static Path otherCa(Path dir) throws Exception {
        Files.createDirectories(dir);
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Some other CA", "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", dir.resolve("ca.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path pem = dir.resolve("ca.pem");
        keytool("-exportcert", "-alias", "ca", "-keystore", dir.resolve("ca.p12").toString(), "-storepass", PASSWORD,
                "-rfc", "-file", pem.toString());
        return pem;
    }

    static TestCertificates create(Path dir) throws Exception {
        Files.createDirectories(dir);
        TestCertificates t = new TestCertificates(dir);
        String ca = dir.resolve("ca.p12").toString();
        String cp = t.keyStore.toString();
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Roboflare e2e CA", "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", ca,
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "ca", "-keystore", ca, "-storepass", PASSWORD, "-rfc", "-file",
                t.caPem.toString());
        keytool("-genkeypair", "-alias", "cp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", cp, "-storepass", PASSWORD, "-keypass",
                PASSWORD);
        Path csr = dir.resolve("cp.csr");
        keytool("-certreq", "-alias", "cp", "-keystore", cp, "-storepass", PASSWORD, "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", ca, "-storepass", PASSWORD, "-infile", csr.toString(),
                "-outfile", t.serverPem.toString(), "-rfc", "-ext", "SAN=ip:127.0.0.1", "-validity", "2");
        keytool("-importcert", "-alias", "ca", "-keystore", cp, "-storepass", PASSWORD, "-file", t.caPem.toString(),
                "-noprompt");
        keytool("-importcert", "-alias", "cp", "-keystore", cp, "-storepass", PASSWORD, "-file",
                t.serverPem.toString());
        Files.writeString(t.passwordFile, PASSWORD + "\n");
        return t;
    }

    /** The SHA-256 of the server certificate (DER), what --pin-sha256 takes. */
    String serverFingerprint() throws Exception {
        try (InputStream in = Files.newInputStream(serverPem)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        }
    }

    /** An operator's HTTP client that trusts only this CA. */
    HttpClient client() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(java.time.Duration.ofSeconds(2)).build();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
        }
    }
}
