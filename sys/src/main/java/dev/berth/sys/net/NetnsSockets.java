package dev.berth.sys.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;

/**
 * Opens sockets inside a network namespace: a socket belongs to the namespace it was created in,
 * so the daemon can serve (e.g. embedded DNS on 127.0.0.11) inside a container's namespace
 * without running a process there. Thread-safe.
 */
public interface NetnsSockets {
    /** A UDP channel bound to {@code bind} inside {@code netns}; the caller owns and closes it. */
    DatagramChannel openUdp(Path netns, InetSocketAddress bind) throws IOException;

    /**
     * A listening TCP channel bound to {@code bind} inside {@code netns}; the caller owns and
     * closes it. Implementations without TCP support throw {@link UnsupportedOperationException}.
     */
    default java.nio.channels.ServerSocketChannel openTcp(Path netns, InetSocketAddress bind) throws IOException {
        throw new UnsupportedOperationException("TCP sockets in namespaces are not supported by " + getClass().getSimpleName());
    }
}
