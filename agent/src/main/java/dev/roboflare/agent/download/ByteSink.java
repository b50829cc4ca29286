package dev.roboflare.agent.download;

/**
 * Gets every byte of the artifact the downloader stores, in order from the first, as it stores them (the bytes of
 * a resumed part file first, read once for the hash and the sink): an executor installs from them while the
 * download runs.
 */
public interface ByteSink {
    /** The next {@code len} bytes of the artifact (the array is reused after the call). */
    void accept(byte[] b, int off, int len);

    /** The bytes given so far are not the start of the artifact after all (the server ignored Range): void them. */
    void restart();
}
