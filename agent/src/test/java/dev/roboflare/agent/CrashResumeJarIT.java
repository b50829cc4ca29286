package dev.roboflare.agent;

/**
 * The crash/resume tests again, against target/roboflare-agent.jar (run after packaging, in the
 * integration-test phase), so the shaded jar, its Main-Class and its dependencies are what gets tested.
 */
class CrashResumeJarIT extends CrashResumeTest {
}
