package dev.berth.logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Compresses a rotated log file as dockerd does: gzip with the time of the file's newest record
 * in the header's extra field ({@code {"lastTime":"…"}}, Go's RFC 3339), which dockerd's reader
 * uses to skip whole files before {@code --since}. {@link java.util.zip.GZIPOutputStream} cannot
 * write an extra field, so the header and trailer (RFC 1952) are written here. Stateless.
 */
final class GzipWithTime {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private GzipWithTime() {}

    /**
     * {@code x.1} → {@code x.1.gz} through a temp file, so a reader never sees a half-written
     * archive; the plain file is deleted once the archive is in place.
     *
     * @param lastTime the newest record's time, nanoseconds since the epoch; {@link Long#MIN_VALUE} if unknown
     */
    static void compress(Path file, long lastTime) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        Path tmp = file.resolveSibling(file.getFileName() + ".gz.tmp");
        try (InputStream in = Files.newInputStream(file); OutputStream raw = java.nio.channels.Channels.newOutputStream(java.nio.channels.FileChannel.open(tmp,
                java.util.Set.of(java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                        java.nio.file.StandardOpenOption.WRITE), LogFileWriter.FILE_MODE))) {
            write(in, raw, lastTime);
        }
        Files.move(tmp, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(file);
    }

    static void write(InputStream in, OutputStream raw, long lastTime) throws IOException {
        String time = lastTime == Long.MIN_VALUE ? ZERO_TIME : JsonLogLine.formatTime(lastTime);
        byte[] extra = ("{\"lastTime\":\"" + time + "\"}").getBytes(StandardCharsets.US_ASCII);
        // magic, deflate, FEXTRA, mtime 0, no extra flags, OS unknown: what Go's gzip.Writer writes
        raw.write(new byte[] {0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, (byte) 0xff});
        raw.write(extra.length & 0xff);
        raw.write(extra.length >>> 8);
        raw.write(extra);
        CRC32 crc = new CRC32();
        long size = 0;
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            DeflaterOutputStream out = new DeflaterOutputStream(new NonClosing(raw), deflater, 65536);
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
                out.write(buf, 0, n);
                size += n;
            }
            out.finish();
            out.flush();
        } finally {
            deflater.end();
        }
        long c = crc.getValue();
        raw.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
                (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)});
    }

    /** Keeps the deflater's stream from closing the file underneath the trailer. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() { }
    }
}
