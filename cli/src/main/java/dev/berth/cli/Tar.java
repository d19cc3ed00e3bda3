package dev.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A small tar (ustar + PAX long names) writer and extractor for {@code cp} and {@code build}
 * contexts; the CLI may depend only on {@code client}, so it carries its own. Files, directories
 * and symlinks; ownership is not restored on extraction (the engine side does that for cp into
 * containers). Not thread-safe.
 */
final class Tar {
    private Tar() {}

    /** Writes tar entries to a stream. */
    static final class Writer implements AutoCloseable {
        private final OutputStream out;

        Writer(OutputStream out) {
            this.out = out;
        }

        /**
         * Adds {@code src} (recursively) under the archive name {@code name}; entries for which
         * {@code skip} (given the name relative to {@code src}, "/"-separated) is true are left out.
         */
        void addTree(Path src, String name, Predicate<String> skip, boolean descendExcluded) throws IOException {
            this.descend = descendExcluded;
            add(src, name, "", skip);
        }

        private boolean descend;

        private void add(Path p, String name, String rel, Predicate<String> skip) throws IOException {
            if (!rel.isEmpty() && skip.test(rel)) {
                if (!descend || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
            }
            var attrs = Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = modeOf(attrs.permissions());
            long mtime = attrs.lastModifiedTime().toMillis() / 1000;
            boolean skipped = !rel.isEmpty() && skip.test(rel);
            if (attrs.isSymbolicLink()) {
                header(name, '2', 0, mode, mtime, Files.readSymbolicLink(p).toString());
            } else if (attrs.isDirectory()) {
                if (!skipped && !name.isEmpty()) {
                    header(name.endsWith("/") || name.isEmpty() ? name : name + "/", '5', 0, mode, mtime, null);
                }
                try (var s = Files.list(p)) {
                    for (Path c : s.sorted().toList()) {
                        String fn = c.getFileName().toString();
                        add(c, name.isEmpty() ? fn : (name.endsWith("/") ? name + fn : name + "/" + fn),
                                rel.isEmpty() ? fn : rel + "/" + fn, skip);
                    }
                }
            } else if (attrs.isRegularFile()) {
                header(name, '0', attrs.size(), mode, mtime, null);
                try (InputStream in = Files.newInputStream(p)) {
                    long n = in.transferTo(out);
                    pad(n);
                }
            }
        }

        /** Adds a regular file with the given content. */
        void addFile(String name, byte[] data, int mode) throws IOException {
            header(name, '0', data.length, mode, System.currentTimeMillis() / 1000, null);
            out.write(data);
            pad(data.length);
        }

        private void header(String name, char type, long size, int mode, long mtime, String link) throws IOException {
            byte[] nb = name.getBytes(StandardCharsets.UTF_8);
            byte[] lb = link == null ? new byte[0] : link.getBytes(StandardCharsets.UTF_8);
            if (nb.length > 100 || lb.length > 100) {
                StringBuilder pax = new StringBuilder();
                if (nb.length > 100) {
                    pax.append(paxRecord("path", name));
                }
                if (lb.length > 100) {
                    pax.append(paxRecord("linkpath", link));
                }
                byte[] pb = pax.toString().getBytes(StandardCharsets.UTF_8);
                raw("././@PaxHeader", 'x', pb.length, 0644, mtime, "");
                out.write(pb);
                pad(pb.length);
            }
            raw(name, type, size, mode, mtime, link == null ? "" : link);
        }

        private void raw(String name, char type, long size, int mode, long mtime, String link) throws IOException {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, octal(mode, 7));
            put(h, 108, 8, octal(0, 7));
            put(h, 116, 8, octal(0, 7));
            put(h, 124, 12, octal(size, 11));
            put(h, 136, 12, octal(mtime, 11));
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            put(h, 157, 100, link);
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, octal(sum, 6) + "\0 ");
            out.write(h);
        }

        private void pad(long n) throws IOException {
            int r = (int) (n % 512);
            if (r != 0) {
                out.write(new byte[512 - r]);
            }
        }

        @Override
        public void close() throws IOException {
            out.write(new byte[1024]);
            out.close();
        }
    }

    private static String paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + String.valueOf(len).length();
        if (String.valueOf(total).length() != String.valueOf(len).length()) {
            total++;
        }
        return total + body;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private static String octal(long v, int width) {
        String s = Long.toOctalString(v);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }

    static int modeOf(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
    }

    /**
     * Extracts {@code in} under {@code dest}; the first path component of every entry named
     * {@code renameFrom} is replaced by {@code renameTo} (docker cp's rename when the target
     * does not exist). Refuses entries that escape {@code dest}. Returns the bytes of content.
     */
    static long extract(InputStream in, Path dest, String renameFrom, String renameTo) throws IOException {
        long total = 0;
        byte[] h = new byte[512];
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        Path root = dest.toAbsolutePath().normalize();
        while (true) {
            if (!readFully(in, h)) {
                return total;
            }
            if (isZero(h)) {
                return total;
            }
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
                if (size > 1 << 20) {
                    throw new IOException("tar extended header too large");
                }
                byte[] data = readBody(in, size);
                if (type == 'x') {
                    parsePax(new String(data, StandardCharsets.UTF_8), pax);
                } else if (type == 'L') {
                    longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                } else if (type == 'K') {
                    pax.put("linkpath", new String(data, StandardCharsets.UTF_8).replace("\0", ""));
                }
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            name = pax.getOrDefault("path", name);
            link = pax.getOrDefault("linkpath", link);
            pax.clear();
            while (name.startsWith("./")) {
                name = name.substring(2);
            }
            if (renameFrom != null && (name.equals(renameFrom) || name.startsWith(renameFrom + "/")
                    || name.equals(renameFrom + "/"))) {
                name = renameTo + name.substring(renameFrom.length());
            }
            Path target = root.resolve(name).normalize();
            if (!target.startsWith(root)) {
                throw new IOException("invalid tar entry outside destination: " + name);
            }
            switch (type) {
                case '5' -> {
                    Files.createDirectories(target);
                    setMode(target, mode);
                }
                case '2' -> {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(link));
                }
                case '1' -> {
                    Path src = root.resolve(link).normalize();
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createLink(target, src);
                }
                case '0', '7' -> {
                    Files.createDirectories(target.getParent());
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
        int i = 0;
        while (i < s.length()) {
            int sp = s.indexOf(' ', i);
            if (sp < 0) {
                return;
            }
            int len = Integer.parseInt(s.substring(i, sp));
            String rec = new String(s.getBytes(StandardCharsets.UTF_8), i, len, StandardCharsets.UTF_8);
            String kv = rec.substring(rec.indexOf(' ') + 1, rec.length() - 1);
            int eq = kv.indexOf('=');
            into.put(kv.substring(0, eq), kv.substring(eq + 1));
            i += rec.length();
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

    /** Moves {@code src} to {@code dst}, replacing it. */
    static void move(Path src, Path dst) throws IOException {
        Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING);
    }
}
