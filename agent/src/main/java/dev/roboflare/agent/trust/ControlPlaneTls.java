package dev.roboflare.agent.trust;

import dev.roboflare.protocol.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * How the agent trusts the control plane's HTTPS certificate: the system CAs (default), only the CAs of a PEM
 * bundle ({@code --ca-bundle}), or exactly one certificate by its SHA-256 fingerprint ({@code --pin-sha256}, the
 * leaf certificate's DER; host names are then not checked, the pin is the identity).
 *
 * <p>The API client (robot token, deployments, release statements) gets the strict trust. Artifact downloads may go
 * to another host (S3 presigned URLs), so their client also accepts the system CAs; their bytes are checked against
 * the SHA-256 from the API and the signed statement anyway.
 */
public final class ControlPlaneTls {
    /** What to check when the system CAs refuse the control plane's certificate. */
    public static final String SYSTEM_CAS_HINT = "the system CAs do not trust it; use a certificate from a CA in the "
            + "robot's trust store, or give the agent --ca-bundle (your CA, PEM) or --pin-sha256 (the certificate's "
            + "fingerprint)";

    private final X509TrustManager strict;
    private final boolean pinned;
    private final String refusalHint;

    private ControlPlaneTls(X509TrustManager strict, boolean pinned, String refusalHint) {
        this.strict = strict;
        this.pinned = pinned;
        this.refusalHint = refusalHint;
    }

    /** What a technician should check when this trust refuses the control plane's certificate (for the log). */
    public String refusalHint() {
        return refusalHint;
    }

    /** Null when neither is given (system CAs). */
    public static ControlPlaneTls of(Path caBundle, String pinSha256) throws IOException, GeneralSecurityException {
        if (caBundle != null && pinSha256 != null) {
            throw new IllegalArgumentException("use --ca-bundle or --pin-sha256, not both");
        }
        if (caBundle != null) {
            return new ControlPlaneTls(bundleTrust(caBundle), false, "--ca-bundle " + caBundle + " does not hold the "
                    + "CA that signed it; put that CA's certificate (PEM) in the bundle (openssl s_client -connect "
                    + "HOST:PORT -showcerts shows the chain the control plane sends), or check --control-plane points "
                    + "at the right server");
        }
        if (pinSha256 != null) {
            String pin = pinSha256.replace(":", "").toLowerCase(Locale.ROOT);
            if (!pin.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("--pin-sha256 must be 64 hex digits (colons allowed), the SHA-256 "
                        + "of the control plane's certificate: openssl x509 -in cert.pem -noout -fingerprint -sha256");
            }
            return new ControlPlaneTls(new PinnedTrust(pin), true, "it is not the certificate pinned with "
                    + "--pin-sha256 " + pin + "; if the control plane's certificate was renewed, check the new one "
                    + "and pin its fingerprint (openssl x509 -in cert.pem -noout -fingerprint -sha256), else "
                    + "something else answers at --control-plane");
        }
        return null;
    }

    /** The control-plane API client with the strict trust. */
    public OkHttpClient.Builder applyStrict(OkHttpClient.Builder b) throws GeneralSecurityException {
        b.sslSocketFactory(context(strict).getSocketFactory(), strict);
        if (pinned) {
            b.hostnameVerifier((host, session) -> true);
        }
        return b;
    }

    /** The download client: the strict trust or the system CAs. */
    public OkHttpClient.Builder applyLenient(OkHttpClient.Builder b) throws GeneralSecurityException {
        X509TrustManager either = new EitherTrust(strict, systemTrust());
        b.sslSocketFactory(context(either).getSocketFactory(), either);
        if (pinned) {
            javax.net.ssl.HostnameVerifier standard = okhttp3.internal.tls.OkHostnameVerifier.INSTANCE;
            b.hostnameVerifier((host, session) -> {
                try {
                    Certificate[] chain = session.getPeerCertificates();
                    if (chain.length > 0 && PinnedTrust.matches(((PinnedTrust) strict).pin, chain[0])) {
                        return true;
                    }
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    return false;
                }
                return standard.verify(host, session);
            });
        }
        return b;
    }

    private static SSLContext context(X509TrustManager tm) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
        return ctx;
    }

    private static X509TrustManager bundleTrust(Path bundle) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(bundle)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + n++, c);
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("--ca-bundle " + bundle + " holds no PEM certificate");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    private static X509TrustManager systemTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    /** Accepts exactly the certificate with this SHA-256 as the server's leaf. */
    private static final class PinnedTrust implements X509TrustManager {
        private final String pin;

        PinnedTrust(String pin) {
            this.pin = pin;
        }

        static boolean matches(String pin, Certificate leaf) {
            return pin.equals(fingerprint(leaf));
        }

        static String fingerprint(Certificate cert) {
            try {
                return Sha256.hex(cert.getEncoded());
            } catch (GeneralSecurityException e) {
                return "(unreadable certificate)";
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the control plane sent no certificate");
            }
            if (!matches(pin, chain[0])) {
                throw new CertificateException("the control plane's certificate has SHA-256 " + fingerprint(chain[0])
                        + ", not the pinned " + pin);
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the agent is never a TLS server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static final class EitherTrust implements X509TrustManager {
        private final X509TrustManager first;
        private final X509TrustManager second;

        EitherTrust(X509TrustManager first, X509TrustManager second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the agent is never a TLS server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return second.getAcceptedIssuers();
        }
    }
}
