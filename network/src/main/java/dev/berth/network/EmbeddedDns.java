package dev.berth.network;

import dev.berth.sys.net.NetnsSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker's embedded DNS server for containers on user-defined networks: a UDP socket on
 * 127.0.0.11:53 inside each such container's namespace (opened by the daemon with setns, no
 * process in the container), answering container names and aliases with their addresses on
 * the networks both containers share, and forwarding every other query — from the host's
 * namespace — to the upstream nameservers. One virtual thread per sandbox reads queries; each
 * query is answered on its own virtual thread. Thread-safe.
 */
final class EmbeddedDns implements AutoCloseable {
    static final String ADDRESS = "127.0.0.11";
    private static final System.Logger LOG = System.getLogger(EmbeddedDns.class.getName());
    private static final int TTL = 600;

    /** Answers names for a querying container: its peers' IPv4 addresses, empty if unknown. */
    interface Resolver {
        List<String> lookup(String containerId, String name);
    }

    private final NetnsSockets sockets;
    private final Resolver resolver;
    private final Map<String, DatagramChannel> servers = new ConcurrentHashMap<>();

    EmbeddedDns(NetnsSockets sockets, Resolver resolver) {
        this.sockets = sockets;
        this.resolver = resolver;
    }

    /** Starts serving inside {@code netns} (idempotent). Throws if the socket cannot be opened. */
    void serve(String containerId, Path netns, List<String> upstreams) throws IOException {
        if (servers.containsKey(containerId)) {
            return;
        }
        DatagramChannel ch = sockets.openUdp(netns, new InetSocketAddress(ADDRESS, 53));
        servers.put(containerId, ch);
        Thread.ofVirtual().name("berth-dns-" + containerId.substring(0, Math.min(12, containerId.length()))).start(() -> loop(containerId, ch, upstreams));
    }

    /** The local address a test can send queries to (the fake kernel binds a random port). */
    SocketAddress localAddress(String containerId) throws IOException {
        DatagramChannel ch = servers.get(containerId);
        return ch == null ? null : ch.getLocalAddress();
    }

    void stop(String containerId) {
        DatagramChannel ch = servers.remove(containerId);
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing a datagram socket does not fail in practice
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(servers.keySet()).forEach(this::stop);
    }

    private void loop(String containerId, DatagramChannel ch, List<String> upstreams) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (ch.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = ch.receive(buf);
                byte[] query = Arrays.copyOf(buf.array(), buf.position());
                Thread.ofVirtual().start(() -> reply(containerId, ch, from, query, upstreams));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "embedded DNS for " + containerId + " failed: " + e.getMessage());
                return;
            }
        }
    }

    private void reply(String containerId, DatagramChannel ch, SocketAddress to, byte[] query, List<String> upstreams) {
        try {
            byte[] response = handle(containerId, query, upstreams);
            if (response != null) {
                ch.send(ByteBuffer.wrap(response), to);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "embedded DNS reply failed: " + e.getMessage());
        }
    }

    byte[] handle(String containerId, byte[] query, List<String> upstreams) {
        DnsMessages.Question q = DnsMessages.parse(query, query.length);
        if (q == null) {
            return null;
        }
        List<String> ips = q.qclass() == 1 ? resolver.lookup(containerId, q.name()) : List.of();
        if (!ips.isEmpty()) {
            // A container name: A records; other types get an empty answer (no IPv6 here), as Docker does.
            return DnsMessages.answer(query, q, q.type() == DnsMessages.TYPE_A ? ips : List.of(), TTL);
        }
        for (String upstream : upstreams) {
            byte[] r = forward(query, upstream);
            if (r != null) {
                return r;
            }
        }
        return DnsMessages.failure(query, q, DnsMessages.RCODE_SERVFAIL);
    }

    private static byte[] forward(byte[] query, String upstream) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            s.setSoTimeout(3000);
            s.connect(new InetSocketAddress(upstream, 53));
            s.send(new java.net.DatagramPacket(query, query.length));
            byte[] buf = new byte[4096];
            java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
            s.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
