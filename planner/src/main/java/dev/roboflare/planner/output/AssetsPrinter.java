package dev.roboflare.planner.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roboflare.planner.assets.AssetCheck;
import dev.roboflare.planner.assets.AssetReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** assets as a table (and --json). */
public final class AssetsPrinter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AssetsPrinter() {
    }

    public static void print(AssetReport report, PrintWriter out) {
        var tag = report.tag();
        out.println(tag.platform().displayName() + " published assets for " + tag.name() + " (version " + tag.version()
                + ", updater channel " + tag.updaterChannel() + ") on " + report.baseUrl());
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ARTIFACT", "EXPECTED", "PRESENT", "DETAIL", "URL"});
        for (AssetCheck check : report.checks()) {
            rows.add(new String[] {check.artifact(), check.expected() ? "yes" : "-", check.present() ? "yes" : "no",
                    check.detail(), check.url()});
        }
        TextTable.print(out, rows);
        out.println();
        out.println("Artifact URLs for " + tag.version());
        boolean any = false;
        for (AssetCheck check : report.checks()) {
            for (String url : check.urls()) {
                out.println("  " + check.artifact() + ": " + url);
                any = true;
            }
        }
        if (!any) {
            out.println("  (none listed)");
        }
        out.println();
        out.println(report.allExpectedPresent()
                ? "OK: " + tag.version() + " is in both releases.json files and the " + tag.updaterChannel() + " channel YAMLs."
                : "MISSING: " + tag.version() + " is not yet in every expected file (EXPECTED yes, PRESENT no).");
        out.flush();
    }

    public static String json(AssetReport report, String toolVersion) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tool", "roboflare-planner");
        root.put("tool_version", toolVersion);
        root.put("path", report.tag().platform().cliName());
        root.put("tag", report.tag().name());
        root.put("version", report.tag().version());
        root.put("updater_channel", report.tag().updaterChannel());
        root.put("base_url", report.baseUrl());
        root.put("all_expected_present", report.allExpectedPresent());
        var checks = root.putArray("checks");
        for (AssetCheck check : report.checks()) {
            ObjectNode node = checks.addObject().put("artifact", check.artifact()).put("url", check.url())
                    .put("expected", check.expected()).put("present", check.present()).put("detail", check.detail());
            check.urls().forEach(node.putArray("urls")::add);
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report could not be written as JSON", e);
        }
    }
}
