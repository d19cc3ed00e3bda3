package dev.berth.builder.context;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves COPY/ADD sources against a build context (with Go filepath.Match wildcards) and
 * computes content checksums for cache keys. Stateless; thread-safe if the context is.
 */
public final class ContextSources {
    private final BuildContext context;

    public ContextSources(BuildContext context) {
        this.context = context;
    }

    /**
     * The entries a source names. Leading {@code /} and {@code ../} are removed, trailing slashes
     * ignored. A wildcard source may match several entries (files or directories).
     *
     * @throws BerthException INVALID_ARGUMENT with the classic builder's message when nothing matches
     */
    public List<ContextEntry> resolve(String source) {
        String p = GoPath.contextPath(source);
        if (!p.isEmpty() && GoGlob.hasMeta(p)) {
            List<ContextEntry> out = new ArrayList<>();
            try {
                for (ContextEntry e : context.entries()) {
                    if (GoGlob.match(p, e.path())) {
                        out.add(e);
                    }
                }
            } catch (GoGlob.BadPatternException e) {
                throw BerthException.invalid("syntax error in pattern");
            }
            if (out.isEmpty()) {
                throw BerthException.invalid("no source files were specified");
            }
            return out;
        }
        return List.of(context.stat(p).orElseThrow(() -> BerthException.invalid(
                "file not found in build context or excluded by .dockerignore: stat %s: file does not exist",
                source.startsWith("/") ? source.substring(1) : source)));
    }

    /** All entries at or below the given roots, in path order, without duplicates. */
    public List<ContextEntry> expand(List<ContextEntry> roots) {
        Map<String, ContextEntry> out = new LinkedHashMap<>();
        for (ContextEntry root : roots) {
            if (!root.path().isEmpty()) {
                out.putIfAbsent(root.path(), root);
            }
            if (root.isDirectory()) {
                for (ContextEntry e : context.entries()) {
                    if (!e.path().equals(root.path()) && root.contains(e.path())) {
                        out.putIfAbsent(e.path(), e);
                    }
                }
            }
        }
        return out.values().stream().sorted((a, b) -> a.path().compareTo(b.path())).toList();
    }

    /**
     * A checksum over the given roots and everything below them: for each entry in path order its
     * path, type, mode, uid, gid, size, link target and content digest. Modification times are
     * left out, so touching a file does not invalidate the cache.
     */
    public String checksum(List<ContextEntry> roots) {
        MessageDigest md = Digest.newSha256();
        for (ContextEntry e : expand(roots)) {
            String line = e.path() + "\0" + e.type() + "\0" + Integer.toOctalString(e.mode()) + "\0" + e.uid() + "\0"
                    + e.gid() + "\0" + e.size() + "\0" + (e.linkTarget() == null ? "" : e.linkTarget()) + "\0"
                    + (e.type() == ContextEntry.Type.FILE ? fileDigest(e.path()) : "") + "\n";
            md.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private String fileDigest(String path) {
        MessageDigest md = Digest.newSha256();
        try (InputStream in = context.open(path)) {
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
