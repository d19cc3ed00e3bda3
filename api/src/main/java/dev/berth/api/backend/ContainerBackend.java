package dev.berth.api.backend;

import dev.berth.api.model.ContainerCreateRequest;
import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.ContainerTop;
import dev.berth.api.model.ContainerUpdateRequest;
import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.api.model.IdResponse;
import dev.berth.api.model.PruneReport;
import dev.berth.common.Filters;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Container lifecycle as the containers router needs it. Containers are named by full id, unique
 * id prefix, or name (with or without the leading slash). Unknown containers are NOT_FOUND with
 * Docker's message {@code No such container: <name>}.
 */
public interface ContainerBackend {
    IdResponse create(ContainerCreateRequest request);

    ContainerInspect inspect(String nameOrId, boolean withSize);

    List<ContainerSummary> list(boolean all, int limit, boolean withSize, Filters filters);

    /** Starting a running container is NOT_MODIFIED. */
    void start(String nameOrId, String detachKeys);

    /** @param timeoutSeconds null for the container's own stop timeout; signal null for its StopSignal. */
    void stop(String nameOrId, Integer timeoutSeconds, String signal);

    void restart(String nameOrId, Integer timeoutSeconds, String signal);

    /** @param signal a name ("KILL", "SIGTERM") or number; null for SIGKILL. Not running is CONFLICT. */
    void kill(String nameOrId, String signal);

    void pause(String nameOrId);

    void unpause(String nameOrId);

    void remove(String nameOrId, boolean force, boolean removeVolumes, boolean removeLink);

    void rename(String nameOrId, String newName);

    /** Returns warnings. */
    List<String> update(String nameOrId, ContainerUpdateRequest request);

    /**
     * Validates at once (NOT_FOUND, INVALID_ARGUMENT for a bad condition) and returns a future that
     * completes when the condition is met: "not-running" (default), "next-exit", or "removed".
     * The router sends headers before the future completes, because the CLI blocks on them.
     */
    CompletableFuture<ContainerWaitResponse> waitFor(String nameOrId, String condition);

    ContainerTop top(String nameOrId, String psArgs);

    /**
     * Writes stats JSON objects to the sink: one when {@code stream} is false (sampled twice so
     * precpu is filled unless {@code oneShot}), else about one per second until the sink closes.
     */
    void stats(String nameOrId, boolean stream, boolean oneShot, MessageSink sink);

    /** Blocks while following; returns when done or the sink closes. */
    void logs(String nameOrId, LogsOptions options, OutputSink sink);

    /** Blocks until the session ends (see {@link HijackedStreams}). */
    void attach(String nameOrId, AttachOptions options, HijackedStreams streams);

    void resize(String nameOrId, int height, int width);

    PruneReport prune(Filters filters);

    /** Writes the container's root filesystem as a tar. */
    void export(String nameOrId, OutputStream out);

    /**
     * Options of {@code GET /containers/{id}/logs}. since/until are Unix seconds (fractions allowed), 0 for
     * unset; tail is "all" or a count; details prefixes each line with its attributes ({@code --details}).
     */
    record LogsOptions(boolean follow, boolean stdout, boolean stderr, double since, double until, boolean timestamps, String tail,
                       boolean details) {
        public LogsOptions(boolean follow, boolean stdout, boolean stderr, double since, double until, boolean timestamps, String tail) {
            this(follow, stdout, stderr, since, until, timestamps, tail, false);
        }
    }

    /** Options of {@code POST /containers/{id}/attach}. */
    record AttachOptions(boolean stream, boolean logs, boolean stdin, boolean stdout, boolean stderr, String detachKeys) {}
}
