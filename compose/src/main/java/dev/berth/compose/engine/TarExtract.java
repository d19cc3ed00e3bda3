package dev.berth.compose.engine;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Extracts a tar stream (ustar, PAX path/linkpath, GNU long names) below a directory, renaming the
 * archive's top-level entry when asked (docker cp semantics). Entries that would land outside the
 * target (.., absolute paths, links) are refused. Not thread-safe.
 */
final class TarExtract {
    private static final long MAX_HEADER_RECORD = 1 << 20;

    private TarExtract() {}

    /**
     * @param target     directory to extract into
     * @param renameTop  when non-null, the first path component of every entry is replaced by it
     */
    static void extract(InputStream in, Path target, String renameTop) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        byte[] h = new byte[512];
        String longName = null;
        String longLink = null;
        while (readFully(in, h)) {
            if (allZero(h)) {
                return;
            }
            String name = longName != null ? longName : str(h, 0, 100);
            String prefix = str(h, 345, 155);
            if (longName == null && !prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            String link = longLink != null ? longLink : str(h, 157, 100);
            longName = null;
            longLink = null;
            long size = octal(h, 124, 12);
            int mode = (int) octal(h, 100, 8);
            char type = (char) h[156];
            if (type == 'x' || type == 'L' || type == 'K' || type == 'g') {
                if (size > MAX_HEADER_RECORD) {
                    throw new BerthException(ErrorKind.INVALID_ARGUMENT, "tar header record too large");
                }
                byte[] body = in.readNBytes((int) size);
                skip(in, pad(size));
                String text = new String(body, StandardCharsets.UTF_8);
                if (type == 'L') {
                    longName = text.replace("\0", "");
                } else if (type == 'K') {
                    longLink = text.replace("\0", "");
                } else if (type == 'x') {
                    for (String rec : text.split("\n")) {
                        int sp = rec.indexOf(' ');
                        int eq = rec.indexOf('=');
                        if (sp > 0 && eq > sp) {
                            String k = rec.substring(sp + 1, eq);
                            if (k.equals("path")) {
                                longName = rec.substring(eq + 1);
                            } else if (k.equals("linkpath")) {
                                longLink = rec.substring(eq + 1);
                            }
                        }
                    }
                }
                continue;
            }
            if (name.startsWith("./")) {
                name = name.substring(2);
            }
            if (renameTop != null) {
                int slash = name.indexOf('/');
                name = slash < 0 ? renameTop : renameTop + name.substring(slash);
            }
            Path dest = root.resolve(name).normalize();
            if (!dest.startsWith(root) || name.startsWith("/")) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "refusing tar entry outside the target: " + name);
            }
            switch (type) {
                case '5' -> {
                    Files.createDirectories(dest);
                    chmod(dest, mode);
                }
                case '2' -> {
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createSymbolicLink(dest, Path.of(link));
                }
                case '1' -> {
                    Path src = root.resolve(renameTop == null ? link : renameTop + link.substring(Math.max(0, link.indexOf('/')))).normalize();
                    if (!src.startsWith(root)) {
                        throw new BerthException(ErrorKind.INVALID_ARGUMENT, "refusing hard link outside the target: " + link);
                    }
                    Files.createDirectories(dest.getParent());
                    Files.copy(src, dest, StandardCopyOption.REPLACE_EXISTING);
                }
                case '0', '\0', '7' -> {
                    Files.createDirectories(dest.getParent());
                    if (Files.isSymbolicLink(dest)) {
                        Files.delete(dest);
                    }
                    try (OutputStream out = Files.newOutputStream(dest)) {
                        copy(in, out, size);
                    }
                    skip(in, pad(size));
                    chmod(dest, mode);
                    continue;
                }
                default -> { }
            }
            skip(in, size + pad(size));
        }
    }

    private static void chmod(Path p, int mode) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return;
        }
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                perms.add(all[i]);
            }
        }
        Files.setPosixFilePermissions(p, perms);
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (size > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, size));
            if (n < 0) {
                throw new IOException("truncated tar");
            }
            out.write(buf, 0, n);
            size -= n;
        }
    }

    private static long pad(long size) {
        return (512 - size % 512) % 512;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    return;
                }
                k = 1;
            }
            n -= k;
        }
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
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

    private static long octal(byte[] h, int off, int len) {
        String s = str(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    static boolean isDir(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p);
    }
}
