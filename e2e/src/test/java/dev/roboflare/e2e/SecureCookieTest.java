package dev.roboflare.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.testkit.ControlPlaneProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, finding 7: over HTTPS the status page's session cookie is Secure and every response carries HSTS, both
 * when the shipped jar serves TLS itself (a real HTTPS connection here) and behind a TLS-terminating proxy, which
 * --public-url https://... announces.
 */
class SecureCookieTest {
    @TempDir
    Path work;

    @Test
    void overItsOwnTlsTheSessionCookieIsSecureAndHstsIsSent() throws Exception {
        TestCertificates certs = TestCertificates.create(work.resolve("tls"));
        HttpClient https = certs.client();
        try (ControlPlaneProcess cp = ControlPlaneProcess.start(work.resolve("tls-cp"), List.of("--tls-keystore",
                certs.keyStore.toString(), "--tls-keystore-password-file", certs.passwordFile.toString()), "https",
                https)) {
            assertThat(cp.baseUrl()).startsWith("https://");
            HttpResponse<String> login = login(https, cp);
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                    assertThat(c).contains("; Secure").contains("HttpOnly").contains("SameSite=Strict"));
            assertThat(login.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
            HttpResponse<String> refused = https.send(HttpRequest.newBuilder(URI.create(cp.baseUrl() + "/api/robots"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Strict-Transport-Security")).isPresent();
        }
    }

    @Test
    void behindAnHttpsPublicUrlTheCookieIsSecureToo() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (ControlPlaneProcess cp = ControlPlaneProcess.start(work.resolve("proxied-cp"),
                List.of("--public-url", "https://cp.lab.example"), "http", http)) {
            HttpResponse<String> login = login(http, cp);
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                    assertThat(c).contains("; Secure"));
            assertThat(login.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
        }
    }

    private static HttpResponse<String> login(HttpClient client, ControlPlaneProcess cp) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(cp.baseUrl() + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + cp.operatorToken())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
