package dev.roboflare.agent.executor;

import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.download.ByteSink;

/**
 * An install that runs on the artifact's bytes as they arrive (the extract overlapping the download). What it
 * makes is only staged: the extract step still decides, after verify, and the executor installs from the part file
 * as before whenever the staged result is missing (a restarted agent) or not usable.
 */
public interface InstallWhileDownloading extends ByteSink {
    /** The download ended with {@code r}: waits for the install; keeps its result only if r is the artifact. */
    void downloaded(ArtifactDownloader.Result r);

    /** The download stopped or failed: stops the install and deletes what it wrote. */
    void abandon();
}
