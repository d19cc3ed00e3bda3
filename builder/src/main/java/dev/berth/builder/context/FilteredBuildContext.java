package dev.berth.builder.context;

import dev.berth.builder.ignore.PatternMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A view of a context without the entries a {@code .dockerignore} excludes. A directory that is
 * excluded stays visible when an exception ({@code !…}) re-includes something below it, so that
 * the re-included entry keeps its parents. Computed once at construction; thread-safe if the
 * underlying context is.
 */
public final class FilteredBuildContext implements BuildContext {
    private final BuildContext inner;
    private final Set<String> visible;
    private final List<ContextEntry> entries;

    public FilteredBuildContext(BuildContext inner, PatternMatcher matcher) {
        this.inner = inner;
        Set<String> keep = new HashSet<>();
        for (ContextEntry e : inner.entries()) {
            if (!matcher.matchesOrParentMatches(e.path())) {
                keep.add(e.path());
                // parents of a kept entry stay, even if a pattern matched them
                for (String dir = GoPath.dir(e.path()); !dir.equals(".") && keep.add(dir); dir = GoPath.dir(dir)) {
                    // walk up
                }
            }
        }
        this.visible = keep;
        this.entries = inner.entries().stream().filter(e -> keep.contains(e.path())).toList();
    }

    private boolean excluded(String path) {
        return !path.isEmpty() && !visible.contains(path);
    }

    @Override
    public List<ContextEntry> entries() {
        return entries;
    }

    @Override
    public Optional<ContextEntry> stat(String path) {
        String p = GoPath.contextPath(path);
        return excluded(p) ? Optional.empty() : inner.stat(p);
    }

    @Override
    public InputStream open(String path) throws IOException {
        if (excluded(GoPath.contextPath(path))) {
            throw new IOException("excluded by .dockerignore: " + path);
        }
        return inner.open(path);
    }

    @Override
    public void close() {
        inner.close();
    }
}
