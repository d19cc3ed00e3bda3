package dev.berth.oci.tar;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that refuses metadata entries (GNU long names/links, PAX headers) larger than
 * {@link #MAX_HEADER_BYTES}. commons-compress buffers such entries whole before it returns the
 * next real entry, so without this a client could exhaust the daemon's memory with one streamed
 * "file name" in a layer, a build context, an {@code ADD}ed archive or a {@code docker cp}
 * upload. Every tar read from outside goes through this class. Not thread-safe (one reader per
 * stream).
 */
public final class GuardedTarInputStream extends TarArchiveInputStream {
    /** Largest extended header accepted; real ones are a few hundred bytes. */
    public static final long MAX_HEADER_BYTES = 1 << 20;

    public GuardedTarInputStream(InputStream in) {
        super(in);
    }

    private void check() throws IOException {
        TarArchiveEntry e = getCurrentEntry();
        if (e != null && e.getSize() > MAX_HEADER_BYTES
                && (e.isPaxHeader() || e.isGlobalPaxHeader() || e.isGNULongNameEntry() || e.isGNULongLinkEntry())) {
            throw new IOException("invalid tar header: a " + e.getSize() + "-byte extended header (at most "
                    + MAX_HEADER_BYTES + " allowed)");
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // commons-compress reads PAX and GNU long-name payloads through this method while the
        // metadata entry is current, so the check runs before any of it is buffered.
        check();
        return super.read(b, off, len);
    }
}
