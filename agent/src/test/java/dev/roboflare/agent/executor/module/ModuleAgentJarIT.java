package dev.roboflare.agent.executor.module;

/** The update module tests again, against target/roboflare-agent.jar: the shipped jar runs the Mender module. */
class ModuleAgentJarIT extends ModuleAgentTest {
}
