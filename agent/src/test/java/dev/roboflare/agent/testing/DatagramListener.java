package dev.roboflare.agent.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/** A real unix datagram socket bound in a test, standing in for systemd's NOTIFY_SOCKET or journald's socket. */
public final class DatagramListener implements AutoCloseable {
    private final UnixDatagramChannel channel;
    private final Path path;

    public DatagramListener(Path path) throws IOException {
        this.path = path;
        this.channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress(path.toFile()));
        channel.configureBlocking(false);
    }

    public Path path() {
        return path;
    }

    /** Every datagram that arrived so far (waits {@code settleMs} first). */
    public List<byte[]> drain(long settleMs) throws InterruptedException {
        Thread.sleep(settleMs);
        List<byte[]> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
        while (true) {
            buf.clear();
            try {
                if (channel.receive(buf) == null) {
                    return out;
                }
            } catch (IOException wouldBlock) { // jnr reports EAGAIN as an IOException
                return out;
            }
            buf.flip();
            out.add(Arrays.copyOfRange(buf.array(), 0, buf.limit()));
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
