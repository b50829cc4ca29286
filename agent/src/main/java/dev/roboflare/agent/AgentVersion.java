package dev.roboflare.agent;

import picocli.CommandLine;

/**
 * This agent's version, compared with a release statement's min_agent_version: the Implementation-Version that
 * Maven writes into the jar's manifest (the project version, e.g. 0.1.0 or 0.1.0-SNAPSHOT, a SemVer pre-release
 * of 0.1.0). Run from classes (tests, an IDE) there is no manifest: then it is {@link #UNPACKAGED}, below every
 * release, so a statement that needs a minimum version is refused rather than met by a guess.
 */
public final class AgentVersion implements CommandLine.IVersionProvider {
    public static final String UNPACKAGED = "0.0.0-unpackaged";

    public static String current() {
        return fromManifest(AgentVersion.class.getPackage().getImplementationVersion());
    }

    static String fromManifest(String implementationVersion) {
        return implementationVersion == null || implementationVersion.isBlank() ? UNPACKAGED
                : implementationVersion.strip();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"roboflare-agent " + current()};
    }
}
