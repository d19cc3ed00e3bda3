package dev.berth.daemon.build;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The seam behind {@code POST /build?remote=…} (dockerd's classic-builder remote contexts): turns
 * the {@code remote} parameter into the same thing a client would have sent as the request body —
 * a context tar (plain or compressed) — so that the rest of the build reads it through the one
 * guarded tar path. Terms:
 * <ul>
 *   <li>a git URL (dockerd's {@code urlutil.IsGitURL}) is cloned, {@code #ref:subdir} choosing the
 *       ref and the context directory; the context is that directory, tarred;</li>
 *   <li>another http(s) URL is downloaded: a tar body is the context; a plain-text body is the
 *       Dockerfile itself ({@link Fetched#dockerfileOnly()}: the build gets no other files, as in
 *       dockerd, where such a build has no context at all).</li>
 * </ul>
 * Errors carry dockerd's messages and kinds (e.g. a 404 download is NOT_FOUND, a failed clone
 * "error fetching: …" is INTERNAL).
 *
 * <p>Lifecycle: {@link #fetch} leaves temporary files only inside the returned {@link Fetched};
 * closing it removes them. On failure nothing is left behind. Implementations are thread-safe.
 */
interface RemoteContext {

    /**
     * @param remote the {@code remote} query parameter (non-empty)
     * @param dockerfile the {@code dockerfile} query parameter ("Dockerfile" when absent)
     * @param progress receives dockerd's JSON progress messages while a download runs
     *     ({@code {"status":"Downloading context","progressDetail":{…},"progress":…,"id":URL}});
     *     never called for git contexts
     */
    Fetched fetch(String remote, String dockerfile, Consumer<Map<String, Object>> progress) throws IOException;

    /**
     * A fetched context.
     *
     * @param tar the context tar (possibly compressed), read once by the caller
     * @param dockerfile the Dockerfile's path inside the tar
     * @param dockerfileOnly true when the remote was a Dockerfile, not a context: the tar holds just it
     * @param cleanup removes the temporary files; called by {@link #close()}
     */
    record Fetched(InputStream tar, String dockerfile, boolean dockerfileOnly, Runnable cleanup) implements Closeable {
        @Override
        public void close() {
            try {
                tar.close();
            } catch (IOException ignored) {
                // the file is removed below anyway
            }
            cleanup.run();
        }
    }
}
