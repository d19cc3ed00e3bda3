package dev.berth.oci.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An incoming tar with host ids (see {@link TarIdMapper#toHost}): members are read with
 * {@link GuardedTarInputStream}, their ids mapped, and written anew by commons-compress into a small
 * buffer that {@link #read} drains, one member header or data chunk at a time (memory stays at one
 * chunk plus one header). Because the output is a canonical archive of the entries as the reader
 * understood them, the extractor downstream cannot read a member differently from how it was
 * mapped. Not thread-safe.
 */
final class HostIdTarInputStream extends InputStream {
    private static final int CHUNK = 64 * 1024;

    private final GuardedTarInputStream in;
    private final IdMapping ids;
    private final Buffer buf = new Buffer();
    private final TarArchiveOutputStream out;
    private final byte[] chunk = new byte[CHUNK];
    private int pos;
    private long left = -1; // data bytes of the current member still to copy; -1 between members
    private boolean done;

    /** A ByteArrayOutputStream whose bytes {@link #read} can take without copying. */
    private static final class Buffer extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }

    HostIdTarInputStream(InputStream tar, IdMapping ids) {
        this.in = new GuardedTarInputStream(tar);
        this.ids = ids;
        this.out = new TarArchiveOutputStream(buf, StandardCharsets.UTF_8.name());
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        out.setAddPaxHeadersForNonAsciiNames(true);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= buf.size()) {
            if (done) {
                return -1;
            }
            buf.reset();
            pos = 0;
            step();
        }
        int n = Math.min(len, buf.size() - pos);
        System.arraycopy(buf.array(), pos, b, off, n);
        pos += n;
        return n;
    }

    /** Produces the next piece of output: a chunk of member data, a member header, or the end. */
    private void step() throws IOException {
        if (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (n < 0) {
                throw new IOException("unexpected EOF in tar member data");
            }
            out.write(chunk, 0, n);
            left -= n;
            if (left == 0) {
                out.closeArchiveEntry();
                left = -1;
            }
            return;
        }
        TarArchiveEntry e = in.getNextEntry();
        if (e == null) {
            out.finish();
            done = true;
            return;
        }
        TarArchiveEntry copy = copyOf(e);
        if (copy == null) {
            return; // a member extractors skip: left out
        }
        IdMapping.Ids h = ids.toHost(e.getLongUserId(), e.getLongGroupId());
        copy.setUserId(h.uid());
        copy.setGroupId(h.gid());
        out.putArchiveEntry(copy);
        if (copy.getSize() > 0) {
            left = copy.getSize();
        } else {
            out.closeArchiveEntry();
        }
    }

    /** The member to write for {@code e}, without its ids; null to leave it out. */
    private static TarArchiveEntry copyOf(TarArchiveEntry e) {
        byte flag;
        if (e.isDirectory()) {
            flag = TarConstants.LF_DIR;
        } else if (e.isSymbolicLink()) {
            flag = TarConstants.LF_SYMLINK;
        } else if (e.isLink()) {
            flag = TarConstants.LF_LINK;
        } else if (e.isCharacterDevice()) {
            flag = TarConstants.LF_CHR;
        } else if (e.isBlockDevice()) {
            flag = TarConstants.LF_BLK;
        } else if (e.isFIFO()) {
            flag = TarConstants.LF_FIFO;
        } else if (e.isFile()) {
            flag = TarConstants.LF_NORMAL; // also contiguous, sparse and vendor file types: extracted as files
        } else {
            return null;
        }
        TarArchiveEntry c = new TarArchiveEntry(e.getName(), flag, true);
        c.setMode(e.getMode());
        c.setModTime(e.getModTime());
        c.setUserName(e.getUserName());
        c.setGroupName(e.getGroupName());
        if (flag == TarConstants.LF_SYMLINK || flag == TarConstants.LF_LINK) {
            c.setLinkName(e.getLinkName());
        }
        if (flag == TarConstants.LF_CHR || flag == TarConstants.LF_BLK) {
            c.setDevMajor(e.getDevMajor());
            c.setDevMinor(e.getDevMinor());
        }
        if (flag == TarConstants.LF_NORMAL) {
            c.setSize(e.isSparse() ? e.getRealSize() : e.getSize());
        }
        e.getExtraPaxHeaders().forEach(c::addPaxHeader);
        return c;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
