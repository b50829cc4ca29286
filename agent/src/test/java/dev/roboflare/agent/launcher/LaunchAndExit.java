package dev.roboflare.agent.launcher;

import dev.roboflare.agent.state.AppRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run in a separate JVM by the tests: starts an app with the detached launcher, records it, then dies hard. */
public final class LaunchAndExit {
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        ObjectMapper json = WireJson.lenient();
        ReleaseRecord release = json.readValue(Files.readString(Path.of(args[1])), ReleaseRecord.class);
        AppRecord app = new DetachedProcessLauncher(state).start(release);
        Files.writeString(state.resolve("app.json"), json.writeValueAsString(app));
        Runtime.getRuntime().halt(9); // no cleanup, like SIGKILL
    }
}
