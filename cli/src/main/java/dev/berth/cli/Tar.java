package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A small tar (ustar + PAX long names) writer for {@code cp} and {@code build} contexts; the CLI
 * may depend only on {@code client}, so it carries its own (extraction is the client's
 * {@link dev.berth.client.TarExtractor}). Files, directories and symlinks. Not thread-safe.
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
}
