package dev.berth.network;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;

/**
 * The little of the DNS wire format (RFC 1035) the embedded server needs: read the single
 * question of a query, and build an answer with A records, an empty answer, or a failure.
 * Pure utility.
 */
final class DnsMessages {
    static final int TYPE_A = 1;
    static final int TYPE_AAAA = 28;
    static final int TYPE_PTR = 12;
    static final int RCODE_SERVFAIL = 2;
    static final int RCODE_NXDOMAIN = 3;

    private DnsMessages() {}

    /**
     * @param name lower-case, without the trailing dot
     * @param questionEnd offset just after the question section
     */
    record Question(int id, String name, int type, int qclass, int questionEnd) {}

    /** The question of a standard query, or null if the message is not one we can answer. */
    static Question parse(byte[] msg, int len) {
        if (len < 12) {
            return null;
        }
        int flags = u16(msg, 2);
        boolean isQuery = (flags & 0x8000) == 0;
        int opcode = (flags >> 11) & 0xF;
        if (!isQuery || opcode != 0 || u16(msg, 4) != 1) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (true) {
            if (i >= len) {
                return null;
            }
            int l = msg[i] & 0xFF;
            i++;
            if (l == 0) {
                break;
            }
            if (l > 63 || i + l > len) {
                return null; // compression is not used in questions of queries
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(msg, i, l, java.nio.charset.StandardCharsets.US_ASCII));
            i += l;
        }
        if (i + 4 > len) {
            return null;
        }
        return new Question(u16(msg, 0), name.toString().toLowerCase(Locale.ROOT), u16(msg, i), u16(msg, i + 2), i + 4);
    }

    /** A response to {@code query} carrying one A record per address (none is a valid, empty NOERROR answer). */
    static byte[] answer(byte[] query, Question q, List<String> ipv4s, int ttl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, query, q, 0, ipv4s.size());
        for (String ip : ipv4s) {
            out.write(0xC0); // pointer to the name in the question (offset 12)
            out.write(12);
            put16(out, TYPE_A);
            put16(out, 1);
            put16(out, (ttl >> 16) & 0xFFFF);
            put16(out, ttl & 0xFFFF);
            put16(out, 4);
            long v = Ipv4.parse(ip);
            out.write((int) (v >> 24) & 0xFF);
            out.write((int) (v >> 16) & 0xFF);
            out.write((int) (v >> 8) & 0xFF);
            out.write((int) v & 0xFF);
        }
        return out.toByteArray();
    }

    /**
     * A response carrying one record of {@code type} per rdata (none is a valid, empty NOERROR
     * answer); each record's owner is the question's name.
     */
    static byte[] answerRecords(byte[] query, Question q, int type, List<byte[]> rdatas, int ttl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, query, q, 0, rdatas.size());
        for (byte[] rdata : rdatas) {
            out.write(0xC0);
            out.write(12);
            put16(out, type);
            put16(out, 1);
            put16(out, (ttl >> 16) & 0xFFFF);
            put16(out, ttl & 0xFFFF);
            put16(out, rdata.length);
            out.writeBytes(rdata);
        }
        return out.toByteArray();
    }

    /** The rdata of an A (4 bytes) or AAAA (16 bytes) record. */
    static byte[] addressRdata(String ip) {
        try {
            return java.net.InetAddress.getByName(ip).getAddress(); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    /** A domain name in wire form (for PTR rdata), e.g. {@code web.app} → 3web3app0. */
    static byte[] nameRdata(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] b = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            out.write(Math.min(63, b.length));
            out.write(b, 0, Math.min(63, b.length));
        }
        out.write(0);
        return out.toByteArray();
    }

    /** The address a reverse-lookup name stands for ({@code 4.0.18.172.in-addr.arpa} → 172.18.0.4), or null. */
    static String reverseAddress(String name) {
        if (name.endsWith(".in-addr.arpa")) {
            String[] p = name.substring(0, name.length() - ".in-addr.arpa".length()).split("\\.");
            if (p.length != 4) {
                return null;
            }
            String ip = p[3] + "." + p[2] + "." + p[1] + "." + p[0];
            return Ipv4.isIpv4(ip) ? Ipv4.format(Ipv4.parse(ip)) : null;
        }
        if (name.endsWith(".ip6.arpa")) {
            String[] p = name.substring(0, name.length() - ".ip6.arpa".length()).split("\\.");
            if (p.length != 32) {
                return null;
            }
            StringBuilder hex = new StringBuilder();
            for (int i = 31; i >= 0; i--) {
                if (p[i].length() != 1 || Character.digit(p[i].charAt(0), 16) < 0) {
                    return null;
                }
                hex.append(p[i]);
                if (i % 4 == 0 && i > 0) {
                    hex.append(':');
                }
            }
            return Ipv6.normalize(hex.toString());
        }
        return null;
    }

    /** A response with no answers and the given rcode (SERVFAIL, NXDOMAIN). */
    static byte[] failure(byte[] query, Question q, int rcode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, query, q, rcode, 0);
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, byte[] query, Question q, int rcode, int answers) {
        int rd = u16(query, 2) & 0x0100;
        put16(out, q.id());
        put16(out, 0x8000 | 0x0400 | rd | 0x0080 | rcode); // QR, AA, RD copied, RA
        put16(out, 1);
        put16(out, answers);
        put16(out, 0);
        put16(out, 0);
        out.write(query, 12, q.questionEnd() - 12);
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    private static void put16(ByteArrayOutputStream out, int v) {
        out.write((v >> 8) & 0xFF);
        out.write(v & 0xFF);
    }
}
