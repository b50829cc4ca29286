package dev.roboflare.planner.assets;

import java.util.List;

/**
 * One published file checked for a release: whether the tag's version is in it, where, and the
 * artifact URLs listed for it. {@code expected} marks the files the release must appear in (both
 * releases.json and the YAMLs of the tag's own updater channel); the others are shown for context.
 */
public record AssetCheck(String artifact, String url, boolean expected, boolean present, String detail, List<String> urls) {
}
