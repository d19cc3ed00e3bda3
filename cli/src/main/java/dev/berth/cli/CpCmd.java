package dev.berth.cli;

import dev.berth.client.HttpResponse;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code berth cp}: copies between a container and the local file system with docker's
 * rules: into an existing directory the source keeps its name; to a path that does not exist
 * the source is renamed; {@code -} streams a tar on stdin/stdout.
 */
@Command(name = "cp", description = "Copy files/folders between a container and the local filesystem")
final class CpCmd extends BaseCommand {
    @Option(names = {"-a", "--archive"}) boolean archive;
    @Option(names = {"-L", "--follow-link"}) boolean followLink;
    @Option(names = {"-q", "--quiet"}) boolean quiet;
    @Parameters(index = "0", paramLabel = "SRC") String src;
    @Parameters(index = "1", paramLabel = "DEST") String dst;

    @Override
    public Integer call() throws IOException {
        String[] s = split(src);
        String[] d = split(dst);
        if (s[0] != null && d[0] != null) {
            throw BerthException.invalid("copying between containers is not supported");
        }
        if (s[0] == null && d[0] == null) {
            throw BerthException.invalid("must specify at least one container source");
        }
        if (s[0] != null) {
            fromContainer(s[0], s[1], d[1]);
        } else {
            toContainer(s[1], d[0], d[1]);
        }
        return 0;
    }

    /** {container, path} or {null, localPath}; a ':' after a '/' is part of a local path. */
    private static String[] split(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".") || arg.equals("-")) {
            return new String[] {null, arg};
        }
        int colon = arg.indexOf(':');
        if (colon <= 0 || arg.substring(0, colon).contains("/")) {
            return new String[] {null, arg};
        }
        return new String[] {arg.substring(0, colon), arg.substring(colon + 1)};
    }

    private void fromContainer(String container, String path, String local) throws IOException {
        String base = baseName(path);
        try (HttpResponse r = client().containers().archive(container, path)) {
            if (local.equals("-")) {
                r.body().transferTo(out);
                out.flush();
                return;
            }
            Path dest = Path.of(local);
            boolean srcIsDir = isDir(r.header("X-Docker-Container-Path-Stat"));
            if (local.endsWith("/") && !Files.isDirectory(dest)) {
                if (!srcIsDir && !Files.exists(dest)) {
                    throw BerthException.notFound("destination directory \"%s\" must exist", local);
                }
            }
            if (srcIsDir && path.endsWith("/.")) {
                // "dir/." copies the contents of dir
                Files.createDirectories(dest);
                report(dev.berth.client.TarExtractor.extract(r.body(), dest, base, "."), local);
            } else if (Files.isDirectory(dest)) {
                report(dev.berth.client.TarExtractor.extract(r.body(), dest, null, null), local);
            } else {
                Path parent = dest.toAbsolutePath().getParent();
                if (!Files.isDirectory(parent)) {
                    throw BerthException.notFound("no such directory: %s", parent);
                }
                report(dev.berth.client.TarExtractor.extract(r.body(), parent, base, dest.getFileName().toString()), local);
            }
        }
    }

    private void toContainer(String local, String container, String path) throws IOException {
        if (local.equals("-")) {
            client().containers().putArchive(container, path, System.in, true, archive);
            return;
        }
        Path src = Path.of(local);
        if (followLink) {
            src = src.toRealPath();
        }
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
            throw BerthException.notFound("lstat %s: no such file or directory", src.toAbsolutePath());
        }
        JsonNode stat = null;
        try {
            stat = client().containers().archiveStat(container, path);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
        String dir;
        String name;
        boolean contentsOnly = local.endsWith("/.") && Files.isDirectory(src);
        if (stat != null && isDirMode(stat)) {
            dir = path;
            name = contentsOnly ? "" : src.getFileName().toString();
        } else if (stat != null) {
            if (Files.isDirectory(src)) {
                throw BerthException.invalid("cannot copy directory to a file");
            }
            dir = parentOf(path);
            name = baseName(path);
        } else {
            if (path.endsWith("/")) {
                throw BerthException.notFound("Could not find the file %s in container %s", path, container);
            }
            dir = parentOf(path);
            name = baseName(path);
        }
        long[] size = {0};
        Path from = src;
        PipedInputStream pin = new PipedInputStream(256 * 1024);
        PipedOutputStream pout = new PipedOutputStream(pin);
        Thread t = Thread.ofVirtual().start(() -> {
            try (Tar.Writer w = new Tar.Writer(pout)) {
                w.addTree(from, name, rel -> false, false);
            } catch (IOException e) {
                try {
                    pout.close();
                } catch (IOException ignored) {
                    // the engine sees a truncated tar and reports it
                }
            }
        });
        try (InputStream in = pin) {
            client().containers().putArchive(container, dir, in, true, archive);
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!quiet && Terminal.isTerminal()) {
            try (var walk = Files.walk(src)) {
                size[0] = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            err.println("Successfully copied " + Fmt.humanSize(size[0]) + " to " + container + ":" + path);
        }
    }

    private void report(long bytes, String local) {
        if (!quiet && Terminal.isTerminal()) {
            err.println("Successfully copied " + Fmt.humanSize(bytes) + " to " + Path.of(local).toAbsolutePath());
        }
    }

    private static boolean isDir(String statHeader) {
        if (statHeader == null) {
            return false;
        }
        JsonNode n = dev.berth.common.Json.mapper().readTree(java.util.Base64.getDecoder().decode(statHeader));
        return isDirMode(n);
    }

    /** Go's os.FileMode: the directory bit is 1 << 31. */
    private static boolean isDirMode(JsonNode stat) {
        JsonNode m = stat.get("mode");
        return m != null && (m.asLong() & (1L << 31)) != 0;
    }

    private static String baseName(String path) {
        String p = path;
        if (p.endsWith("/.")) {
            p = p.substring(0, p.length() - 2);
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    private static String parentOf(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : p.substring(0, slash);
    }
}
