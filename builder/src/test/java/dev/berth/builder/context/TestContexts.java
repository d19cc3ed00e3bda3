package dev.berth.builder.context;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** In-memory contexts for tests: path → content; a trailing "/" makes a directory. */
public final class TestContexts {
    private TestContexts() {}

    public static MapBuildContext of(String... pathsAndContents) {
        Map<String, ContextEntry> entries = new LinkedHashMap<>();
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            String p = pathsAndContents[i];
            if (p.endsWith("/")) {
                String d = p.substring(0, p.length() - 1);
                entries.put(d, new ContextEntry(d, ContextEntry.Type.DIRECTORY, 0, 0755, 0, 0, null, 0));
            } else {
                byte[] b = pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                entries.put(p, new ContextEntry(p, ContextEntry.Type.FILE, b.length, 0644, 0, 0, null, 0));
                data.put(p, b);
            }
        }
        return new MapBuildContext(entries, e -> new ByteArrayInputStream(data.get(e.path())));
    }

    /** Same, but with one entry's metadata replaced. */
    public static MapBuildContext withMeta(MapBuildContext base, String path, int mode, int uid, int gid) {
        Map<String, ContextEntry> entries = new LinkedHashMap<>();
        for (ContextEntry e : base.entries()) {
            entries.put(e.path(), e.path().equals(path)
                    ? new ContextEntry(e.path(), e.type(), e.size(), mode, uid, gid, e.linkTarget(), e.mtimeMillis()) : e);
        }
        return new MapBuildContext(entries, e -> {
            try {
                return base.open(e.path());
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }
}
