package dev.berth.registry;

import dev.berth.common.Digest;
import dev.berth.http.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET|HEAD|DELETE /v2/<name>/blobs/<digest>}, with single byte ranges (206/416). */
final class BlobHandlers {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final RegistryStorage storage;

    BlobHandlers(RegistryStorage storage) {
        this.storage = storage;
    }

    static Digest digest(String s) {
        if (s == null || !Digest.isDigest(s)) {
            throw new RegistryError(ErrorCode.DIGEST_INVALID, s);
        }
        return Digest.parse(s);
    }

    void get(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        Digest d = digest(ex.pathParam("digest"));
        if (!storage.isLayerLinked(name, d)) {
            throw new RegistryError(ErrorCode.BLOB_UNKNOWN, d.toString());
        }
        long size = storage.blobSize(d);
        long start = 0;
        long end = size - 1;
        int status = 200;
        String range = ex.header("Range");
        if (range != null && !range.isBlank()) {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
                throw rangeError(size);
            }
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                start = Math.max(0, size - suffix);
            } else {
                start = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    end = Math.min(end, Long.parseLong(m.group(2)));
                }
            }
            if (start >= size || start > end) {
                throw rangeError(size);
            }
            status = 206;
            ex.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        long length = size == 0 ? 0 : end - start + 1;
        ex.setHeader("Docker-Content-Digest", d.toString());
        ex.setHeader("Accept-Ranges", "bytes");
        ex.setHeader("ETag", "\"" + d + "\"");
        ex.setHeader("Cache-Control", "max-age=31536000");
        try (OutputStream out = ex.respondStream(status, "application/octet-stream", length)) {
            if (ex.method().equals("HEAD") || length == 0) {
                return;
            }
            try (FileChannel ch = FileChannel.open(storage.blobPath(d), StandardOpenOption.READ)) {
                ch.position(start);
                InputStream in = Channels.newInputStream(ch);
                byte[] buf = new byte[64 << 10];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }

    private static RegistryError rangeError(long size) {
        return new RegistryError(ErrorCode.RANGE_INVALID, 416, "requested range not satisfiable", "size " + size);
    }

    void delete(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        Digest d = digest(ex.pathParam("digest"));
        if (!storage.unlinkLayer(name, d)) {
            throw new RegistryError(ErrorCode.BLOB_UNKNOWN, d.toString());
        }
        ex.setHeader("Docker-Content-Digest", d.toString());
        ex.respond(202);
    }
}
