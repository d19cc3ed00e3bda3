package dev.berth.builder.context;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A context backed by a sorted map of entries and a function that opens file contents. The base
 * for the directory and tar contexts, and handy in tests. Immutable after construction.
 */
public class MapBuildContext implements BuildContext {
    private final NavigableMap<String, ContextEntry> entries;
    private final Function<ContextEntry, InputStream> opener;

    public MapBuildContext(Map<String, ContextEntry> entries, Function<ContextEntry, InputStream> opener) {
        this.entries = new TreeMap<>(entries);
        this.opener = opener;
        addMissingParents();
    }

    private void addMissingParents() {
        for (String p : new ArrayList<>(entries.keySet())) {
            String dir = GoPath.dir(p);
            while (!dir.equals(".") && !dir.equals("/") && !entries.containsKey(dir)) {
                entries.put(dir, new ContextEntry(dir, ContextEntry.Type.DIRECTORY, 0, 0755, 0, 0, null, 0));
                dir = GoPath.dir(dir);
            }
        }
    }

    @Override
    public List<ContextEntry> entries() {
        return List.copyOf(entries.values());
    }

    @Override
    public Optional<ContextEntry> stat(String path) {
        String p = GoPath.contextPath(path);
        if (p.isEmpty()) {
            return Optional.of(BuildContext.root());
        }
        return Optional.ofNullable(entries.get(p));
    }

    @Override
    public InputStream open(String path) throws IOException {
        ContextEntry e = stat(path).orElseThrow(() -> new IOException("no such file in build context: " + path));
        if (e.type() != ContextEntry.Type.FILE) {
            throw new IOException("not a regular file: " + path);
        }
        return opener.apply(e);
    }
}
