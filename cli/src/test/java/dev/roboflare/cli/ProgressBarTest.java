package dev.roboflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.cli.output.ProgressBar;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void rendersPercentAndSizes() {
        assertThat(ProgressBar.render("app.tar.gz", 5 * 1024 * 1024, 10 * 1024 * 1024))
                .isEqualTo("app.tar.gz [###############...............]  50%  5.0 MiB / 10.0 MiB");
        assertThat(ProgressBar.render("x", 0, 0)).contains("100%");
    }

    @Test
    void drawsOnOneLineAndEndsWithANewline() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), "f");
        bar.update(0, 100);
        bar.update(100, 100);
        assertThat(s.toString()).startsWith("\rf [").endsWith("100 B / 100 B" + System.lineSeparator());
    }
}
