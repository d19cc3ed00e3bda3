package dev.berth.compose.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A minimal streaming tar (ustar + PAX path records for long names) writer for build contexts:
 * regular files, directories and symlinks with mode and mtime. Not thread-safe.
 */
final class TarWriter implements Closeable {
    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void addTree(Path root, List<String> ignore) throws IOException {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String pattern : ignore) {
            String p = pattern.startsWith("/") ? pattern.substring(1) : pattern;
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + p + "/**"));
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : (Iterable<Path>) walk.sorted()::iterator) {
                if (f.equals(root)) {
                    continue;
                }
                Path rel = root.relativize(f);
                String name = rel.toString();
                if (!name.equals("Dockerfile") && matchers.stream().anyMatch(m -> m.matches(rel))) {
                    continue;
                }
                add(f, name);
            }
        }
    }

    /** Adds {@code src} (file, symlink or whole directory tree) under the archive name {@code name}. */
    void addAs(Path src, String name) throws IOException {
        add(src, name);
        if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(src)) {
                for (Path f : (Iterable<Path>) walk.sorted()::iterator) {
                    if (!f.equals(src)) {
                        add(f, name + "/" + src.relativize(f));
                    }
                }
            }
        }
    }

    private void add(Path f, String name) throws IOException {
        PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission p : a.permissions()) {
            mode |= 1 << (8 - p.ordinal());
        }
        long mtime = a.lastModifiedTime().toMillis() / 1000;
        if (a.isSymbolicLink()) {
            header(name, mode, 0, mtime, '2', Files.readSymbolicLink(f).toString());
        } else if (a.isDirectory()) {
            header(name + "/", mode, 0, mtime, '5', "");
        } else if (a.isRegularFile()) {
            header(name, mode, a.size(), mtime, '0', "");
            long written = 0;
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while (written < a.size() && (n = in.read(buf, 0, (int) Math.min(buf.length, a.size() - written))) > 0) {
                    out.write(buf, 0, n);
                    written += n;
                }
            }
            while (written < a.size()) {
                out.write(0);
                written++;
            }
            pad(a.size());
        }
    }

    private void header(String name, int mode, long size, long mtime, char type, String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100 || link.getBytes(StandardCharsets.UTF_8).length > 100) {
            StringBuilder pax = new StringBuilder();
            pax.append(record("path", name));
            if (!link.isEmpty()) {
                pax.append(record("linkpath", link));
            }
            byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
            rawHeader("PaxHeader", 0644, body.length, mtime, 'x', "");
            out.write(body);
            pad(body.length);
            name = name.substring(0, Math.min(name.length(), 99));
            link = link.substring(0, Math.min(link.length(), 99));
        }
        rawHeader(name, mode, size, mtime, type, link);
    }

    private static String record(String key, String value) {
        String rest = " " + key + "=" + value + "\n";
        int len = rest.getBytes(StandardCharsets.UTF_8).length;
        int total = len + Integer.toString(len).length();
        if (Integer.toString(total).length() != Integer.toString(len).length()) {
            total++;
        }
        return total + rest;
    }

    private void rawHeader(String name, int mode, long size, long mtime, char type, String link) throws IOException {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        out.write(h);
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        System.arraycopy(v, 0, h, off, Math.min(len, v.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        while (s.length() < len - 1) {
            s = "0" + s;
        }
        put(h, off, len - 1, s.getBytes(StandardCharsets.US_ASCII));
    }

    private void pad(long size) throws IOException {
        long rem = size % 512;
        if (rem != 0) {
            out.write(new byte[(int) (512 - rem)]);
        }
    }

    @Override
    public void close() throws IOException {
        out.write(new byte[1024]);
        out.flush();
    }
}
