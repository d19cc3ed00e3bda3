package dev.berth.api.backend;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;

/**
 * Files in containers, for {@code docker cp} ({@code /containers/{name}/archive}). Paths are
 * container paths, resolved inside the container's root (symlinks as the container sees them,
 * volumes and binds crossed), for running and stopped containers alike.
 * Failures are {@link dev.berth.common.BerthException}s: NOT_FOUND "No such container: x" or
 * "Could not find the file P in container x"; INVALID_ARGUMENT for a bad archive, a destination
 * that is not a directory, or a read-only root or volume. Implementations are thread-safe.
 */
public interface ArchiveBackend {
    /** Stats {@code path} (a trailing {@code /} follows a final symlink). */
    PathStat stat(String container, String path);

    /**
     * Tars {@code path}: first calls {@code start} with its stat (the router sends the headers and
     * returns the body stream), then writes the uncompressed tar to that stream.
     */
    void archive(String container, String path, Function<PathStat, OutputStream> start);

    /**
     * Extracts the uncompressed tar {@code content} into the existing directory {@code path}.
     *
     * @param noOverwriteDirNonDir refuse to replace a directory by a non-directory or vice versa
     * @param copyUIDGID           own the files by the container's user ({@code docker cp -a})
     */
    void extract(String container, String path, InputStream content, boolean noOverwriteDirNonDir, boolean copyUIDGID);

    /**
     * swagger {@code ContainerPathStat}, the JSON behind the {@code X-Docker-Container-Path-Stat}
     * header: {@code mode} uses Go's {@code os.FileMode} bits, {@code mtime} is RFC 3339.
     */
    record PathStat(
            @JsonProperty("name") String name,
            @JsonProperty("size") long size,
            @JsonProperty("mode") long mode,
            @JsonProperty("mtime") String mtime,
            @JsonProperty("linkTarget") String linkTarget) {}
}
