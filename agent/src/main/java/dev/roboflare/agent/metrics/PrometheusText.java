package dev.roboflare.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Prometheus text exposition format (0.0.4) for the agent's few meters, written directly so the agent does
 * not carry a Prometheus client: counters as {@code _total}, timers as {@code _seconds_count/_sum/_max}, gauges.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    public static String render(MeterRegistry registry) {
        Map<String, StringBuilder> families = new LinkedHashMap<>();
        List<Meter> meters = registry.getMeters().stream()
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> labels(m, null)))
                .toList();
        for (Meter m : meters) {
            String base = m.getId().getName().replace('.', '_');
            String help = m.getId().getDescription() == null ? "" : m.getId().getDescription();
            if (m instanceof Counter c) {
                String unit = m.getId().getBaseUnit() == null ? "" : "_" + m.getId().getBaseUnit();
                String name = base + unit + "_total";
                family(families, name, "counter", help).append(name).append(labels(m, null)).append(' ')
                        .append(number(c.count())).append('\n');
            } else if (m instanceof Timer t) {
                String name = base + "_seconds";
                StringBuilder f = family(families, name, "summary", help);
                f.append(name).append("_count").append(labels(m, null)).append(' ').append(t.count()).append('\n');
                f.append(name).append("_sum").append(labels(m, null)).append(' ')
                        .append(number(t.totalTime(TimeUnit.SECONDS))).append('\n');
                StringBuilder max = family(families, name + "_max", "gauge", help);
                max.append(name).append("_max").append(labels(m, null)).append(' ')
                        .append(number(t.max(TimeUnit.SECONDS))).append('\n');
            } else if (m instanceof Gauge g) {
                family(families, base, "gauge", help).append(base).append(labels(m, null)).append(' ')
                        .append(number(g.value())).append('\n');
            }
        }
        return families.values().stream().map(StringBuilder::toString).collect(Collectors.joining());
    }

    private static StringBuilder family(Map<String, StringBuilder> families, String name, String type, String help) {
        return families.computeIfAbsent(name, n -> new StringBuilder()
                .append("# HELP ").append(n).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n').append("# TYPE ").append(n).append(' ').append(type).append('\n'));
    }

    private static String labels(Meter m, String extra) {
        List<Tag> tags = m.getId().getTags();
        if (tags.isEmpty()) {
            return "";
        }
        return tags.stream().map(t -> t.getKey() + "=\"" + t.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n") + "\"").collect(Collectors.joining(",", "{", "}"));
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
