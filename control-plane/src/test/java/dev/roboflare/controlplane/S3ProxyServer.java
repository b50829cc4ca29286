package dev.roboflare.controlplane;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real S3 server for the tests: s3proxy 4.1.0 with its filesystem backend, on 127.0.0.1, in this JVM but in a
 * class loader of its own. s3proxy runs on Jetty 12 and Javalin on Jetty 11 (same package names), so s3proxy's
 * jars are not on the test class path: control-plane/pom.xml resolves them from src/test/s3proxy/pom.xml into
 * target/s3proxy.classpath, which this class loads.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "roboflare-test";
    static final String SECRET_KEY = "roboflare-test-secret";

    private final URLClassLoader loader;
    private final Object proxy;
    final URI endpoint;

    private S3ProxyServer(URLClassLoader loader, Object proxy, URI endpoint) {
        this.loader = loader;
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    static S3ProxyServer start(Path baseDir) throws Exception {
        Path classpathFile = Path.of("target", "s3proxy.classpath");
        if (!Files.isRegularFile(classpathFile)) {
            throw new AssertionError(classpathFile.toAbsolutePath() + " is missing: run the tests through Maven "
                    + "(the exec-maven-plugin execution s3proxy-classpath writes it)");
        }
        // s3proxy logs through its own logback, which says DEBUG to the console without a configuration.
        Path logback = Files.createTempFile("s3proxy-logback", ".xml");
        Files.writeString(logback, "<configuration><appender name=\"err\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<target>System.err</target><encoder><pattern>s3proxy %level %logger{20} - %msg%n</pattern></encoder>"
                + "</appender><root level=\"WARN\"><appender-ref ref=\"err\"/></root></configuration>");
        System.setProperty("logback.configurationFile", logback.toString());
        URLClassLoader loader = new URLClassLoader("s3proxy", urls(Files.readString(classpathFile).trim()),
                ClassLoader.getPlatformClassLoader());
        Properties p = new Properties();
        p.setProperty("jclouds.provider", "filesystem");
        p.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        p.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", ACCESS_KEY);
        p.setProperty("s3proxy.credential", SECRET_KEY);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            // Main.createBlobStore(Properties) is what s3proxy's own command line uses to build the backend.
            Method createBlobStore = loader.loadClass("org.gaul.s3proxy.Main")
                    .getDeclaredMethod("createBlobStore", Properties.class);
            createBlobStore.setAccessible(true);
            Object blobStore = createBlobStore.invoke(null, p);
            Class<?> builderClass = loader.loadClass("org.gaul.s3proxy.S3Proxy$Builder");
            Object builder = builderClass.getMethod("fromProperties", Properties.class).invoke(null, p);
            builder = builderClass.getMethod("blobStore", loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore"))
                    .invoke(builder, blobStore);
            Object proxy = builderClass.getMethod("build").invoke(builder);
            proxy.getClass().getMethod("start").invoke(proxy);
            int port = (int) proxy.getClass().getMethod("getPort").invoke(proxy);
            return new S3ProxyServer(loader, proxy, URI.create("http://127.0.0.1:" + port));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL[] urls(String classpath) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    @Override
    public void close() throws IOException {
        try {
            proxy.getClass().getMethod("stop").invoke(proxy);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot stop s3proxy", e);
        } finally {
            loader.close();
        }
    }
}
