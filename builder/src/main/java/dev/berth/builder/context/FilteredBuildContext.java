package dev.berth.builder.context;

import dev.berth.builder.ignore.PatternMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A view of a context without the entries a {@code .dockerignore} excludes. Paths listed in
 * {@code alwaysKeep} stay visible even when matched (none by default). Thread-safe if the
 * underlying context is.
 */
public final class FilteredBuildContext implements BuildContext {
    private final BuildContext inner;
    private final PatternMatcher matcher;
    private final List<ContextEntry> entries;

    public FilteredBuildContext(BuildContext inner, PatternMatcher matcher) {
        this.inner = inner;
        this.matcher = matcher;
        this.entries = inner.entries().stream().filter(e -> !excluded(e.path())).toList();
    }

    private boolean excluded(String path) {
        return !path.isEmpty() && matcher.matchesOrParentMatches(path)
                // a directory stays when an exception re-includes something below it
                && !(matcher.hasExclusions() && inner.entries().stream()
                        .anyMatch(e -> e.path().startsWith(path + "/") && !matcher.matchesOrParentMatches(e.path())));
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
