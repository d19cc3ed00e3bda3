package dev.berth.network;

import dev.berth.sys.net.NetnsSockets;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Docker's embedded DNS server for containers on user-defined networks, at 127.0.0.11:53 (UDP
 * and TCP) inside each such container's namespace. The sockets are opened by the daemon in the
 * container's namespace (setns on a throwaway thread), so no process runs in the container, and
 * ONE selector thread serves the sockets of all containers: adding a container adds two sockets,
 * not a thread. Names of containers (name, short id, aliases, {@code name.network}) and reverse
 * lookups of their addresses are answered on the selector thread from an in-memory view
 * ({@link Resolver}); every other query is forwarded — from the host's namespace — to the
 * upstream nameservers on a virtual thread per in-flight query, and each accepted TCP
 * connection is served on a virtual thread until the client closes it. Thread-safe.
 */
final class EmbeddedDns implements AutoCloseable {
    static final String ADDRESS = "127.0.0.11";
    private static final System.Logger LOG = System.getLogger(EmbeddedDns.class.getName());
    private static final int TTL = 600;
    private static final int FORWARD_TIMEOUT_MS = 3000;
    private static final int TCP_IDLE_MS = 10_000;

    /** Names and addresses for a querying container. Implementations must be fast and non-blocking (selector thread). */
    interface Resolver {
        /** The addresses of a name known on the container's networks, or null if the name is unknown there. */
        Answer lookup(String containerId, String name);

        /** Names (e.g. {@code web.app}) of an address on the container's networks; empty if unknown. */
        default List<String> reverse(String containerId, String ip) {
            return List.of();
        }
    }

    /** @param ipv4/ipv6 possibly empty: a known name without addresses of a family gets an empty answer */
    record Answer(List<String> ipv4, List<String> ipv6) {}

    private record Server(String containerId, DatagramChannel udp, ServerSocketChannel tcp, List<String> upstreams) {}

    private final NetnsSockets sockets;
    private final Resolver resolver;
    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final Queue<Server> toRegister = new ConcurrentLinkedQueue<>();
    private Selector selector;
    private Thread loop;

    EmbeddedDns(NetnsSockets sockets, Resolver resolver) {
        this.sockets = sockets;
        this.resolver = resolver;
    }

    /** Starts serving inside {@code netns} (idempotent). Throws if the UDP socket cannot be opened; TCP is best effort. */
    void serve(String containerId, Path netns, List<String> upstreams) throws IOException {
        if (servers.containsKey(containerId)) {
            return;
        }
        InetSocketAddress bind = new InetSocketAddress(ADDRESS, 53);
        DatagramChannel udp = sockets.openUdp(netns, bind);
        ServerSocketChannel tcp = null;
        try {
            tcp = sockets.openTcp(netns, bind);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "embedded DNS over TCP for " + containerId + " not available: " + e.getMessage());
        }
        Server s = new Server(containerId, udp, tcp, List.copyOf(upstreams));
        servers.put(containerId, s);
        toRegister.add(s);
        ensureLoop().wakeup();
    }

    private synchronized Selector ensureLoop() throws IOException {
        if (selector == null || !selector.isOpen()) {
            selector = Selector.open();
            Selector sel = selector;
            loop = Thread.ofPlatform().daemon().name("berth-dns").start(() -> run(sel));
        }
        return selector;
    }

    /** The local address a test can send queries to (the fake kernel binds a random port). */
    SocketAddress localAddress(String containerId) throws IOException {
        Server s = servers.get(containerId);
        return s == null ? null : s.udp().getLocalAddress();
    }

    /** Where TCP queries go (tests), or null. */
    SocketAddress localTcpAddress(String containerId) throws IOException {
        Server s = servers.get(containerId);
        return s == null || s.tcp() == null ? null : s.tcp().getLocalAddress();
    }

    /** The number of threads serving all sockets (always one, once started): for tests of "no thread per container". */
    int serverThreads() {
        return loop != null && loop.isAlive() ? 1 : 0;
    }

    void stop(String containerId) {
        Server s = servers.remove(containerId);
        if (s != null) {
            closeQuietly(s.udp());
            closeQuietly(s.tcp());
            Selector sel = selector;
            if (sel != null) {
                sel.wakeup(); // lets the selector drop the cancelled keys now
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(servers.keySet()).forEach(this::stop);
        synchronized (this) {
            if (selector != null) {
                closeQuietly(selector);
            }
        }
    }

    private void run(Selector sel) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (sel.isOpen()) {
            try {
                sel.select();
                Server s;
                while ((s = toRegister.poll()) != null) {
                    register(sel, s);
                }
                for (SelectionKey k : sel.selectedKeys()) {
                    Server srv = (Server) k.attachment();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.channel() instanceof DatagramChannel ch) {
                        readUdp(srv, ch, buf);
                    } else if (k.channel() instanceof ServerSocketChannel ss) {
                        SocketChannel c = ss.accept();
                        if (c != null) {
                            Thread.ofVirtual().name("berth-dns-tcp").start(() -> serveTcp(srv, c));
                        }
                    }
                }
                sel.selectedKeys().clear();
            } catch (java.nio.channels.ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "embedded DNS loop: " + e.getMessage());
            }
        }
    }

    private void register(Selector sel, Server s) {
        try {
            if (!servers.containsKey(s.containerId())) {
                return; // stopped before it was registered
            }
            s.udp().configureBlocking(false);
            s.udp().register(sel, SelectionKey.OP_READ, s);
            if (s.tcp() != null) {
                s.tcp().configureBlocking(false);
                s.tcp().register(sel, SelectionKey.OP_ACCEPT, s);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "embedded DNS for " + s.containerId() + " cannot be registered: " + e.getMessage());
        }
    }

    private void readUdp(Server s, DatagramChannel ch, ByteBuffer buf) {
        for (int i = 0; i < 64; i++) { // bounded, so one busy container cannot starve the others
            SocketAddress from;
            try {
                buf.clear();
                from = ch.receive(buf);
            } catch (IOException e) {
                return; // closed meanwhile
            }
            if (from == null) {
                return;
            }
            byte[] query = Arrays.copyOf(buf.array(), buf.position());
            byte[] local = local(s.containerId(), query);
            if (local != null) {
                send(ch, local, from);
            } else if (DnsMessages.parse(query, query.length) != null) {
                Thread.ofVirtual().start(() -> send(ch, forward(query, s.upstreams(), false), from));
            }
        }
    }

    private static void send(DatagramChannel ch, byte[] response, SocketAddress to) {
        try {
            if (response != null) {
                ch.send(ByteBuffer.wrap(response), to);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "embedded DNS reply failed: " + e.getMessage());
        }
    }

    /** Serves DNS over TCP (2-byte length prefix, several queries per connection) until EOF or idle. */
    private void serveTcp(Server s, SocketChannel c) {
        try (c) {
            c.configureBlocking(true);
            Socket sock = c.socket();
            sock.setSoTimeout(TCP_IDLE_MS);
            DataInputStream in = new DataInputStream(sock.getInputStream());
            DataOutputStream out = new DataOutputStream(sock.getOutputStream());
            while (true) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return;
                }
                byte[] query = in.readNBytes(len);
                if (query.length != len) {
                    return;
                }
                byte[] r = local(s.containerId(), query);
                if (r == null) {
                    r = forward(query, s.upstreams(), true);
                }
                if (r == null) {
                    return;
                }
                out.writeShort(r.length);
                out.write(r);
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "embedded DNS TCP connection: " + e.getMessage());
        }
    }

    /** The answer from container names, or null if the query must be forwarded. */
    byte[] local(String containerId, byte[] query) {
        DnsMessages.Question q = DnsMessages.parse(query, query.length);
        if (q == null || q.qclass() != 1) {
            return null;
        }
        if (q.type() == DnsMessages.TYPE_PTR) {
            String ip = DnsMessages.reverseAddress(q.name());
            List<String> names = ip == null ? List.of() : resolver.reverse(containerId, ip);
            if (names.isEmpty()) {
                return null;
            }
            return DnsMessages.answerRecords(query, q, DnsMessages.TYPE_PTR, names.stream().map(DnsMessages::nameRdata).toList(), TTL);
        }
        Answer a = resolver.lookup(containerId, q.name());
        if (a == null) {
            return null;
        }
        // A known container name: its addresses of the asked family; other types get an empty answer, as Docker does.
        List<String> ips = switch (q.type()) {
            case DnsMessages.TYPE_A -> a.ipv4();
            case DnsMessages.TYPE_AAAA -> a.ipv6();
            default -> List.of();
        };
        int type = q.type() == DnsMessages.TYPE_AAAA ? DnsMessages.TYPE_AAAA : DnsMessages.TYPE_A;
        List<byte[]> rdata = new ArrayList<>();
        for (String ip : ips) {
            rdata.add(DnsMessages.addressRdata(ip));
        }
        return DnsMessages.answerRecords(query, q, type, rdata, TTL);
    }

    /** Resolves a query completely (tests and callers without sockets): local answer, else upstream. */
    byte[] handle(String containerId, byte[] query, List<String> upstreams) {
        byte[] r = local(containerId, query);
        return r != null ? r : forward(query, upstreams, false);
    }

    private static byte[] forward(byte[] query, List<String> upstreams, boolean tcp) {
        DnsMessages.Question q = DnsMessages.parse(query, query.length);
        if (q == null) {
            return null;
        }
        for (String upstream : upstreams) {
            byte[] r = tcp ? forwardTcp(query, upstream) : forwardUdp(query, upstream);
            if (r != null) {
                return r;
            }
        }
        return DnsMessages.failure(query, q, DnsMessages.RCODE_SERVFAIL);
    }

    private static byte[] forwardUdp(byte[] query, String upstream) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            s.setSoTimeout(FORWARD_TIMEOUT_MS);
            s.connect(new InetSocketAddress(upstream, 53));
            s.send(new java.net.DatagramPacket(query, query.length));
            byte[] buf = new byte[65535];
            java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
            s.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] forwardTcp(byte[] query, String upstream) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(upstream, 53), FORWARD_TIMEOUT_MS);
            s.setSoTimeout(FORWARD_TIMEOUT_MS);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int len = in.readUnsignedShort();
            return in.readNBytes(len);
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing a socket does not fail in practice
            }
        }
    }
}
