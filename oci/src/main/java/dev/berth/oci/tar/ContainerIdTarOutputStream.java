package dev.berth.oci.tar;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the uid/gid of every member of a tar written through it, host → container (see
 * {@link TarIdMapper#toContainer}). Works on 512-byte blocks: a member header has its ustar id
 * fields and checksum rewritten; extended headers before it (PAX {@code x}, GNU {@code L}/{@code K})
 * are held until the member's header arrives, because the member's name and ids may live in them,
 * and a PAX header with {@code uid}/{@code gid} records is re-encoded; data blocks, global PAX
 * headers and end-of-archive blocks pass through untouched. The block sizes are read from the
 * headers the writer itself produced, so the stream stays in step with any well-formed tar
 * writer (commons-compress in our daemon). Not thread-safe.
 */
final class ContainerIdTarOutputStream extends FilterOutputStream {
    private static final int BLOCK = 512;

    private final IdMapping ids;
    private final TarIdMapper.Unmapped unmapped;
    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    /** Bytes of member data (with padding) still to pass through unchanged. */
    private long passLeft;
    /** Extended headers held until their member's header arrives. */
    private final List<Ext> pending = new ArrayList<>();
    private long pendingBytes;
    /** The extended header being collected, and how many of its data bytes (with padding) are missing. */
    private Ext collecting;
    private long collectLeft;

    private record Ext(byte type, byte[] header, ByteArrayOutputStream data, long size) {}

    ContainerIdTarOutputStream(OutputStream out, IdMapping ids, TarIdMapper.Unmapped unmapped) {
        super(out);
        this.ids = ids;
        this.unmapped = unmapped;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (passLeft > 0) {
                int n = (int) Math.min(passLeft, len);
                out.write(b, off, n);
                passLeft -= n;
                off += n;
                len -= n;
            } else if (collecting != null) {
                int n = (int) Math.min(collectLeft, len);
                collecting.data().write(b, off, n);
                collectLeft -= n;
                off += n;
                len -= n;
                if (collectLeft == 0) {
                    pending.add(collecting);
                    collecting = null;
                }
            } else {
                int n = Math.min(BLOCK - headerFill, len);
                System.arraycopy(b, off, header, headerFill, n);
                headerFill += n;
                off += n;
                len -= n;
                if (headerFill == BLOCK) {
                    headerFill = 0;
                    onHeader();
                }
            }
        }
    }

    private void onHeader() throws IOException {
        if (allZero(header)) {
            out.write(header); // end of archive (or padding): nothing to map
            return;
        }
        if (checksum(header) != TarNumbers.parse(header, 148, 8)) {
            throw new IOException("invalid tar header checksum");
        }
        byte type = header[156];
        long size = TarNumbers.parse(header, 124, 12);
        switch (type) {
            case 'x', 'L', 'K' -> {
                pendingBytes += size;
                if (pendingBytes > GuardedTarInputStream.MAX_HEADER_BYTES) {
                    throw new IOException("tar extended headers larger than " + GuardedTarInputStream.MAX_HEADER_BYTES + " bytes");
                }
                collecting = new Ext(type, header.clone(), new ByteArrayOutputStream((int) size), size);
                collectLeft = padded(size);
                if (collectLeft == 0) {
                    pending.add(collecting);
                    collecting = null;
                }
            }
            case 'g' -> {
                out.write(header);
                passLeft = padded(size);
            }
            default -> member(type, size);
        }
    }

    private void member(byte type, long size) throws IOException {
        Pax pax = null;
        String longName = null;
        for (Ext e : pending) {
            if (e.type() == 'x') {
                pax = Pax.parse(data(e));
            } else if (e.type() == 'L') {
                longName = cString(data(e), 0, (int) e.size());
            }
        }
        String name = pax != null && pax.path != null ? pax.path : longName != null ? longName : ustarName(header);
        long uid = pax != null && pax.uid != null ? pax.uid : TarNumbers.parse(header, 108, 8);
        long gid = pax != null && pax.gid != null ? pax.gid : TarNumbers.parse(header, 116, 8);
        if (pax != null && pax.size != null) {
            size = pax.size;
        }
        long cu = ids.uidToContainer(uid);
        long cg = ids.gidToContainer(gid);
        if (unmapped == TarIdMapper.Unmapped.OVERFLOW) {
            cu = cu < 0 ? IdMapping.OVERFLOW_ID : cu;
            cg = cg < 0 ? IdMapping.OVERFLOW_ID : cg;
        } else if (isWhiteout(name)) {
            // moby never remaps whiteouts; we do where we can, so a remapped layer equals an unremapped one
            cu = cu < 0 ? uid : cu;
            cg = cg < 0 ? gid : cg;
        } else if (cu < 0 || cg < 0) {
            throw new BerthException(ErrorKind.INTERNAL, "host ID %d cannot be mapped to a container ID".formatted(cu < 0 ? uid : gid));
        }
        for (Ext e : pending) {
            if (e.type() == 'x' && pax != null && (pax.uid != null || pax.gid != null)) {
                byte[] data = Pax.rewrite(data(e), cu, cg);
                byte[] h = e.header().clone();
                TarNumbers.writeOctal(h, 124, 12, data.length);
                writeChecksum(h);
                out.write(h);
                out.write(data);
                out.write(new byte[(int) (padded(data.length) - data.length)]);
            } else {
                out.write(e.header());
                byte[] data = e.data().toByteArray();
                out.write(data);
            }
        }
        pending.clear();
        pendingBytes = 0;
        TarNumbers.writeId(header, 108, cu);
        TarNumbers.writeId(header, 116, cg);
        writeChecksum(header);
        out.write(header);
        passLeft = type == '5' ? 0 : padded(size);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            if (headerFill != 0 || collecting != null || !pending.isEmpty() || passLeft != 0) {
                throw new IOException("tar archive ended in the middle of a member");
            }
        } finally {
            out.close();
        }
    }

    private static byte[] data(Ext e) {
        byte[] all = e.data().toByteArray();
        return all.length == e.size() ? all : java.util.Arrays.copyOf(all, (int) e.size());
    }

    static boolean isWhiteout(String name) {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return n.substring(n.lastIndexOf('/') + 1).startsWith(".wh.");
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        if (ustar) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long padded(long n) {
        return (n + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static long checksum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        return sum;
    }

    static void writeChecksum(byte[] h) {
        long sum = checksum(h);
        byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
    }

    /** The records of one PAX extended header that matter here. */
    private static final class Pax {
        String path;
        Long uid;
        Long gid;
        Long size;

        static Pax parse(byte[] data) throws IOException {
            Pax p = new Pax();
            for (Record r : records(data)) {
                switch (r.key) {
                    case "path" -> p.path = new String(r.value, StandardCharsets.UTF_8);
                    case "uid" -> p.uid = number(r);
                    case "gid" -> p.gid = number(r);
                    case "size" -> p.size = number(r);
                    default -> { }
                }
            }
            return p;
        }

        private static long number(Record r) throws IOException {
            try {
                return Long.parseLong(new String(r.value, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("invalid PAX " + r.key + " record");
            }
        }

        /** The same records with uid/gid replaced, lengths recomputed. */
        static byte[] rewrite(byte[] data, long uid, long gid) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
            for (Record r : records(data)) {
                byte[] value = switch (r.key) {
                    case "uid" -> Long.toString(uid).getBytes(StandardCharsets.US_ASCII);
                    case "gid" -> Long.toString(gid).getBytes(StandardCharsets.US_ASCII);
                    default -> r.value;
                };
                byte[] key = r.key.getBytes(StandardCharsets.UTF_8);
                int body = 1 + key.length + 1 + value.length + 1; // " key=value\n"
                int len = body + Integer.toString(body).length();
                if (Integer.toString(len).length() != Integer.toString(body).length()) {
                    len = body + Integer.toString(len).length();
                }
                out.write(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
                out.write(' ');
                out.write(key);
                out.write('=');
                out.write(value);
                out.write('\n');
            }
            return out.toByteArray();
        }

        private record Record(String key, byte[] value) {}

        private static List<Record> records(byte[] data) throws IOException {
            List<Record> out = new ArrayList<>();
            int i = 0;
            while (i < data.length) {
                if (data[i] == 0) {
                    break; // trailing NULs
                }
                int sp = i;
                while (sp < data.length && data[sp] != ' ') {
                    sp++;
                }
                int len;
                try {
                    len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new IOException("invalid PAX record length");
                }
                int end = i + len;
                if (len <= 0 || end > data.length || data[end - 1] != '\n') {
                    throw new IOException("invalid PAX record");
                }
                int eq = sp + 1;
                while (eq < end && data[eq] != '=') {
                    eq++;
                }
                if (eq >= end) {
                    throw new IOException("invalid PAX record");
                }
                String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
                byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
                out.add(new Record(key, value));
                i = end;
            }
            return out;
        }
    }
}
