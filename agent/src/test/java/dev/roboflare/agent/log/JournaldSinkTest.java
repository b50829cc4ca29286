package dev.roboflare.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.testing.DatagramListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native journal protocol against a real datagram socket bound here; the datagrams are parsed back. */
class JournaldSinkTest {
    @TempDir
    Path dir;

    @AfterEach
    void backToStdout() {
        Log.useJournal(null);
        Log.redirect(System.out);
    }

    @Test
    void aStepLineArrivesWithStructuredFields() throws Exception {
        try (DatagramListener journal = new DatagramListener(dir.resolve("journal.socket"))) {
            Log.useJournal(new JournaldSink(journal.path(), "robot-7"));
            Log.warn().kv("deployment", "d-42").kv("release", "1.2.0").kv("step", "watch").kv("outcome", "exited")
                    .kv("exit_code", 3).msg("exited with code 3").emit();

            List<byte[]> got = journal.drain(50);
            assertThat(got).hasSize(1);
            Map<String, String> f = parse(got.get(0));
            assertThat(f).containsEntry("PRIORITY", "4").containsEntry("SYSLOG_IDENTIFIER", "roboflare-agent")
                    .containsEntry("DEPLOYMENT_ID", "d-42").containsEntry("RELEASE_SEMVER", "1.2.0")
                    .containsEntry("PHASE", "watch").containsEntry("ROBOT_ID", "robot-7")
                    .containsEntry("OUTCOME", "exited").containsEntry("EXIT_CODE", "3")
                    .containsEntry("TEXT", "exited with code 3");
            assertThat(f.get("MESSAGE")).isEqualTo(
                    "deployment=d-42 release=1.2.0 step=watch outcome=exited exit_code=3 msg=\"exited with code 3\"");
        }
    }

    @Test
    void multiLineValuesUseTheLengthPrefixedForm() throws Exception {
        try (DatagramListener journal = new DatagramListener(dir.resolve("journal.socket"))) {
            Log.useJournal(new JournaldSink(journal.path(), null));
            Log.bug("phase extract threw", new IllegalStateException("boom"));

            Map<String, String> f = parse(journal.drain(50).get(0));
            assertThat(f).containsEntry("PRIORITY", "3").containsEntry("PHASE", "bug").doesNotContainKey("ROBOT_ID");
            assertThat(f.get("TRACE")).startsWith("java.lang.IllegalStateException: boom").contains("\tat ");
            assertThat(f.get("MESSAGE")).doesNotContain("\tat ");
        }
    }

    @Test
    void withoutJournaldTheLineGoesToStdoutWithItsPriorityPrefix() throws Exception {
        Path gone = dir.resolve("no-journal.socket");
        assertThat(JournaldSink.ifPresent(gone, Map.of("JOURNAL_STREAM", "8:123"), null)).isNull();
        try (DatagramListener journal = new DatagramListener(dir.resolve("journal.socket"))) {
            assertThat(JournaldSink.ifPresent(journal.path(), Map.of(), null))
                    .as("started by hand, not by systemd: stay on stdout").isNull();
            assertThat(JournaldSink.ifPresent(journal.path(), Map.of("JOURNAL_STREAM", "8:123"), null)).isNotNull();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
        Log.useJournal(new JournaldSink(gone, null)); // the socket vanished (journald restarting): fall back
        Log.notice().kv("step", "poll").kv("outcome", "ok").emit();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("<5>step=poll outcome=ok" + System.lineSeparator());
    }

    /** Parses journald's native format: NAME=value\n, or NAME\n + 64-bit little-endian length + bytes + \n. */
    static Map<String, String> parse(byte[] d) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < d.length) {
            int nl = i;
            while (d[nl] != '\n' && d[nl] != '=') {
                nl++;
            }
            String name = new String(d, i, nl - i, StandardCharsets.US_ASCII);
            if (d[nl] == '=') {
                int end = nl + 1;
                while (d[end] != '\n') {
                    end++;
                }
                out.put(name, new String(d, nl + 1, end - nl - 1, StandardCharsets.UTF_8));
                i = end + 1;
            } else {
                long len = 0;
                for (int b = 0; b < 8; b++) {
                    len |= (long) (d[nl + 1 + b] & 0xff) << (8 * b);
                }
                int start = nl + 9;
                out.put(name, new String(d, start, (int) len, StandardCharsets.UTF_8));
                assertThat(d[start + (int) len]).isEqualTo((byte) '\n');
                i = start + (int) len + 1;
            }
        }
        return out;
    }
}
