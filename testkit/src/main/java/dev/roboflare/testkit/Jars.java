package dev.roboflare.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the jars under test are: the ones the reactor just packaged, exactly as users run them. Each module's
 * surefire configuration sets {@code roboflare.controlPlaneJar} / {@code roboflare.agentJar}.
 */
public final class Jars {
    private Jars() {
    }

    public static Path controlPlane() {
        return existing("roboflare.controlPlaneJar");
    }

    public static Path agent() {
        return existing("roboflare.agentJar");
    }

    /** The java of the JVM running the tests, so the jars run on the JDK the build used. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set; run these tests through Maven (mvn verify)");
        }
        Path jar = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; package the module first (mvn -B verify)");
        }
        return jar;
    }
}
