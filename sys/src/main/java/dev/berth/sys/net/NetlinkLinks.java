package dev.berth.sys.net;

import dev.berth.sys.unix.Libc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one rtnetlink request on the teardown hot path, without spawning {@code ip}: RTM_DELLINK
 * by name in the daemon's (host) network namespace. A fresh NETLINK_ROUTE socket per call (no
 * shared state). Returns false when the native route cannot answer, so the caller falls back to
 * iproute2. Pure utility, thread-safe.
 */
final class NetlinkLinks {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_ROUTE = 0;
    private static final short RTM_DELLINK = 17;
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

    private static int align(int l) {
        return (l + 3) & ~3;
    }
}
