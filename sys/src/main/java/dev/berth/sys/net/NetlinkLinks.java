package dev.berth.sys.net;

import dev.berth.sys.unix.Libc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host-side rtnetlink requests of the sandbox hot path, without spawning {@code ip}, in the
 * daemon's (host) network namespace: RTM_DELLINK by name (teardown) and one RTM_NEWLINK that
 * creates a veth pair already attached to a bridge and up, its peer created inside a namespace
 * file (set-up). A fresh NETLINK_ROUTE socket per call (no shared state). Returns false when the
 * native route cannot do it, so the caller falls back to iproute2. Pure utility, thread-safe.
 */
final class NetlinkLinks {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_ROUTE = 0;
    private static final short RTM_NEWLINK = 16;
    private static final short RTM_DELLINK = 17;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;
    private static final short IFLA_MTU = 4;
    private static final short IFLA_MASTER = 10;
    private static final short IFLA_LINKINFO = 18;
    private static final short IFLA_INFO_KIND = 1;
    private static final short IFLA_INFO_DATA = 2;
    private static final short IFLA_NET_NS_FD = 28;
    private static final short VETH_INFO_PEER = 1;
    private static final int IFF_UP = 1;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 1;
    private static final short NLM_F_ACK = 4;
    private static final short IFLA_IFNAME = 3;
    private static final int ENODEV = 19;
    private static final AtomicInteger SEQ = new AtomicInteger(1);

    private NetlinkLinks() {}

    /** Deletes host link {@code name}; true if it is gone (deleted now or absent), false if the caller should use {@code ip}. */
    static boolean deleteLink(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > 15) {
            return false;
        }
        int attrLen = 4 + n.length + 1;
        int len = 16 + 16 + align(attrLen);
        int seq = SEQ.getAndIncrement();
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort(RTM_DELLINK).putShort((short) (NLM_F_REQUEST | NLM_F_ACK)).putInt(seq).putInt(0);
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0); // ifinfomsg: any family, index 0
        b.putShort((short) attrLen).putShort(IFLA_IFNAME).put(n).put((byte) 0);
        int fd;
        try {
            fd = Libc.socket(AF_NETLINK, SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (Libc.Errno | RuntimeException | UnsatisfiedLinkError e) {
            return false;
        }
        try {
            Libc.writeFully(fd, b.array(), 0, len, true);
            byte[] in = new byte[8192];
            for (int tries = 0; tries < 8; tries++) {
                int r = Libc.read(fd, in, 0, in.length);
                if (r < 20) {
                    return false;
                }
                ByteBuffer a = ByteBuffer.wrap(in, 0, r).order(ByteOrder.nativeOrder());
                short type = a.getShort(4);
                int rseq = a.getInt(8);
                if (type != NLMSG_ERROR || rseq != seq) {
                    continue; // not our answer
                }
                int err = a.getInt(16);
                return err == 0 || err == -ENODEV;
            }
            return false;
        } catch (Libc.Errno | RuntimeException e) {
            return false;
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * Creates veth {@code host} (in the host namespace, MTU {@code mtu}, attached to bridge
     * {@code bridge}, up) with peer {@code peer} created directly in the namespace {@code netns}.
     * The kernel does it as one request and undoes it all if any part fails. False (nothing
     * created) if the native route failed; the caller then uses {@code ip}, whose error message
     * tells what is wrong.
     */
    static boolean createVethInBridge(String host, String peer, java.nio.file.Path netns, int mtu, String bridge) {
        int bridgeIndex;
        try {
            java.net.NetworkInterface br = java.net.NetworkInterface.getByName(bridge);
            if (br == null) {
                return false;
            }
            bridgeIndex = br.getIndex();
        } catch (java.io.IOException e) {
            return false;
        }
        byte[] h = host.getBytes(StandardCharsets.UTF_8);
        byte[] p = peer.getBytes(StandardCharsets.UTF_8);
        if (h.length == 0 || h.length > 15 || p.length == 0 || p.length > 15) {
            return false;
        }
        int nsFd;
        try {
            nsFd = openReadOnly(netns.toString());
        } catch (RuntimeException e) {
            return false;
        }
        if (nsFd < 0) {
            return false;
        }
        try {
            ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
            int seq = SEQ.getAndIncrement();
            b.putInt(0).putShort(RTM_NEWLINK).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)).putInt(seq).putInt(0);
            ifinfo(b, IFF_UP, IFF_UP);
            attrString(b, IFLA_IFNAME, h);
            attrInt(b, IFLA_MTU, mtu);
            attrInt(b, IFLA_MASTER, bridgeIndex);
            int linkinfo = begin(b, IFLA_LINKINFO);
            attrString(b, IFLA_INFO_KIND, "veth".getBytes(StandardCharsets.US_ASCII));
            int data = begin(b, IFLA_INFO_DATA);
            int peerAttr = begin(b, VETH_INFO_PEER);
            ifinfo(b, 0, 0);
            attrString(b, IFLA_IFNAME, p);
            attrInt(b, IFLA_MTU, mtu);
            attrInt(b, IFLA_NET_NS_FD, nsFd);
            end(b, peerAttr);
            end(b, data);
            end(b, linkinfo);
            b.putInt(0, b.position());
            return request(b.array(), b.position(), seq) == 0;
        } finally {
            Libc.close(nsFd);
        }
    }

    /** Sends one request and returns the kernel's answer (0 or a negative errno), or Integer.MIN_VALUE if there was none. */
    private static int request(byte[] msg, int len, int seq) {
        int fd;
        try {
            fd = Libc.socket(AF_NETLINK, SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (Libc.Errno | RuntimeException | UnsatisfiedLinkError e) {
            return Integer.MIN_VALUE;
        }
        try {
            Libc.writeFully(fd, msg, 0, len, true);
            byte[] in = new byte[8192];
            for (int tries = 0; tries < 8; tries++) {
                int r = Libc.read(fd, in, 0, in.length);
                if (r < 20) {
                    return Integer.MIN_VALUE;
                }
                ByteBuffer a = ByteBuffer.wrap(in, 0, r).order(ByteOrder.nativeOrder());
                if (a.getShort(4) == NLMSG_ERROR && a.getInt(8) == seq) {
                    return a.getInt(16);
                }
            }
            return Integer.MIN_VALUE;
        } catch (Libc.Errno | RuntimeException e) {
            return Integer.MIN_VALUE;
        } finally {
            Libc.close(fd);
        }
    }

    private static void ifinfo(ByteBuffer b, int flags, int change) {
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(flags).putInt(change);
    }

    private static void attrString(ByteBuffer b, short type, byte[] value) {
        int l = 4 + value.length + 1;
        b.putShort((short) l).putShort(type).put(value).put((byte) 0);
        pad(b);
    }

    private static void attrInt(ByteBuffer b, short type, int value) {
        b.putShort((short) 8).putShort(type).putInt(value);
    }

    private static int begin(ByteBuffer b, short type) {
        int at = b.position();
        b.putShort((short) 0).putShort(type); // no NLA_F_NESTED, as iproute2 sends it
        return at;
    }

    private static void end(ByteBuffer b, int at) {
        b.putShort(at, (short) (b.position() - at));
    }

    private static void pad(ByteBuffer b) {
        while ((b.position() & 3) != 0) {
            b.put((byte) 0);
        }
    }

    private static final java.lang.invoke.MethodHandle OPEN;

    static {
        java.lang.invoke.MethodHandle h = null;
        try {
            java.lang.foreign.Linker l = java.lang.foreign.Linker.nativeLinker();
            h = l.downcallHandle(l.defaultLookup().find("open").orElseThrow(), java.lang.foreign.FunctionDescriptor.of(
                    java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS, java.lang.foreign.ValueLayout.JAVA_INT));
        } catch (RuntimeException | Error e) {
            // no native open: createVethInBridge falls back to ip
        }
        OPEN = h;
    }

    /** open(path, O_RDONLY|O_CLOEXEC); negative on failure. */
    private static int openReadOnly(String path) {
        if (OPEN == null) {
            return -1;
        }
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            return (int) OPEN.invokeExact(a.allocateFrom(path), 02000000);
        } catch (Throwable t) {
            return -1;
        }
    }

    private static int align(int l) {
        return (l + 3) & ~3;
    }
}
