package dev.berth.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * Unpacks an archive from {@code GET /containers/{id}/archive} on the client's side, as
 * {@code docker cp CONTAINER:SRC DEST} does. The archive comes from a container, so it is not
 * trusted: no entry, hard link or write through a symlink may land outside the destination.
 * ustar with PAX and GNU long names and links; regular files, directories, symlinks and hard
 * links (devices and fifos are skipped, ownership is not restored). A small hand-written reader
 * rather than commons-compress keeps the CLI's start-up short. Stateless; one call per stream.
 */
public final class TarExtractor {
    /** Largest PAX or GNU long-name record accepted; real ones are a few hundred bytes. */
    private static final long MAX_HEADER_RECORD = 1 << 20;

    private TarExtractor() {}

    /**
     * Extracts {@code in} below {@code dest}.
     *
     * @param renameFrom when non-null, entries named {@code renameFrom} or below it (the copied
     *     file or directory, see {@link #archiveTopName}) are renamed to {@code renameTo}:
     *     docker cp's copy to a new name
     * @return the bytes of file content written
     */
    public static long extract(InputStream in, Path dest, String renameFrom, String renameTo) throws IOException {
        Path root = dest.toAbsolutePath().normalize();
        long total = 0;
        byte[] h = new byte[512];
        Map<String, String> pax = new HashMap<>();
        while (readFully(in, h) && !isZero(h)) {
            String name = str(h, 0, 100);
            String prefix = str(h, 345, 155);
            if (!prefix.isEmpty() && h[257] == 'u') {
                name = prefix + "/" + name;
            }
            char type = (char) (h[156] == 0 ? '0' : h[156]);
            long size = parseOctal(h, 124, 12);
            int mode = (int) parseOctal(h, 100, 8);
            String link = str(h, 157, 100);
            if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                if (size > MAX_HEADER_RECORD) {
                    throw new IOException("tar extended header too large");
                }
                String text = new String(readBody(in, size), StandardCharsets.UTF_8);
                switch (type) {
                    case 'x' -> parsePax(text, pax);
                    case 'L' -> pax.put("path", text.replace("\0", ""));
                    case 'K' -> pax.put("linkpath", text.replace("\0", ""));
                    default -> { /* global headers carry nothing we use */ }
                }
                continue;
            }
            name = renamed(pax.getOrDefault("path", name), renameFrom, renameTo);
            link = pax.getOrDefault("linkpath", link);
            pax.clear();
            Path target = inside(root, name);
            switch (type) {
                case '5' -> {
                    createDirectories(root, target);
                    setMode(target, mode);
                }
                case '2' -> {
                    createDirectories(root, target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(link));
                }
                case '1' -> {
                    Path src = inside(root, renamed(link, renameFrom, renameTo));
                    createDirectories(root, target.getParent());
                    Files.deleteIfExists(target);
                    Files.createLink(target, src);
                }
                case '0', '7' -> {
                    createDirectories(root, target.getParent());
                    if (Files.isSymbolicLink(target)) {
                        Files.delete(target);
                    }
                    try (OutputStream o = Files.newOutputStream(target)) {
                        copyN(in, o, size);
                    }
                    skipPad(in, size);
                    setMode(target, mode);
                    total += size;
                    continue;
                }
                default -> { /* devices, fifos: skipped on the client side */ }
            }
            skipBody(in, size);
        }
        return total;
    }

    /**
     * The name the engine gives the top entry of the archive of {@code containerPath}
     * (filepath.Base, keeping a trailing {@code /.} as {@code .}): {@code /a/b/} → {@code b}.
     */
    public static String archiveTopName(String containerPath) {
        String p = containerPath.startsWith("/") ? containerPath : "/" + containerPath;
        if (p.endsWith("/.")) {
            return ".";
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals("/") ? "/" : p.substring(p.lastIndexOf('/') + 1);
    }

    private static String renamed(String name, String renameFrom, String renameTo) {
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (renameFrom != null && (name.equals(renameFrom) || name.startsWith(renameFrom + "/"))) {
            return renameTo + name.substring(renameFrom.length());
        }
        return name;
    }

    /**
     * The entry's path below {@code root}. Refused when it leaves the root lexically, or when a
     * directory on the way is a symlink: an earlier entry could have planted {@code a -> /etc}
     * so that {@code a/passwd} writes to the host.
     */
    private static Path inside(Path root, String name) throws IOException {
        Path target = root.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(root)) {
            throw new IOException("invalid tar entry outside the target: " + name);
        }
        for (Path p = target.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException("invalid tar entry through a symlink: " + name);
            }
        }
        return target;
    }

    private static void createDirectories(Path root, Path dir) throws IOException {
        inside(root, root.relativize(dir).toString());
        Files.createDirectories(dir);
    }

    private static void setMode(Path p, int mode) {
        try {
            StringBuilder sb = new StringBuilder();
            String rwx = "rwxrwxrwx";
            for (int i = 0; i < 9; i++) {
                sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
            }
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(sb.toString()));
        } catch (IOException | UnsupportedOperationException ignored) {
            // best-effort, as on a non-POSIX file system
        }
    }

    private static void parsePax(String s, Map<String, String> into) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        while (i < bytes.length) {
            int sp = i;
            while (sp < bytes.length && bytes[sp] != ' ') {
                sp++;
            }
            if (sp == bytes.length) {
                return;
            }
            int len = Integer.parseInt(new String(bytes, i, sp - i, StandardCharsets.US_ASCII));
            if (len <= sp - i || i + len > bytes.length) {
                return;
            }
            String kv = new String(bytes, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            int eq = kv.indexOf('=');
            if (eq > 0) {
                into.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            i += len;
        }
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("truncated tar stream");
            }
            off += n;
        }
        return true;
    }

    private static byte[] readBody(InputStream in, long size) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        copyN(in, b, size);
        skipPad(in, size);
        return b.toByteArray();
    }

    private static void copyN(InputStream in, OutputStream o, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("truncated tar stream");
            }
            o.write(buf, 0, r);
            n -= r;
        }
    }

    private static void skipBody(InputStream in, long size) throws IOException {
        copyN(in, OutputStream.nullOutputStream(), size);
        skipPad(in, size);
    }

    private static void skipPad(InputStream in, long size) throws IOException {
        int r = (int) (size % 512);
        if (r != 0) {
            copyN(in, OutputStream.nullOutputStream(), 512 - r);
        }
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String str(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) { // base-256
            long v = 0;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = str(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
