package dev.roboflare.agent.systemd;

/** The sd_notify process test again against target/roboflare-agent.jar (jnr's native code must be in the jar). */
class SdNotifyJarIT extends SdNotifyProcessTest {
}
