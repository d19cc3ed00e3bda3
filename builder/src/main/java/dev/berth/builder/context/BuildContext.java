package dev.berth.builder.context;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The files a build may COPY or ADD: a directory, or the tar stream the docker CLI sends.
 * Entries are read-only; paths are slash-separated and relative to the root ("" is the root).
 * Implementations are safe for concurrent reads once constructed; {@link #close()} releases any
 * scratch space and must be called once the build is over.
 */
public interface BuildContext extends AutoCloseable {

    /** All entries, sorted by path, directories included (the root itself is not listed). */
    List<ContextEntry> entries();

    /** The entry at {@code path} ("" or "." means the root, reported as a directory). */
    Optional<ContextEntry> stat(String path);

    /** Opens a regular file's content. */
    InputStream open(String path) throws IOException;

    /** Releases scratch space; the default does nothing. */
    @Override
    default void close() {}

    /** The root directory entry. */
    static ContextEntry root() {
        return new ContextEntry("", ContextEntry.Type.DIRECTORY, 0, 0755, 0, 0, null, 0);
    }
}
