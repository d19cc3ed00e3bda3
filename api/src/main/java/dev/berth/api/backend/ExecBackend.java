package dev.berth.api.backend;

import dev.berth.api.model.ExecCreateRequest;
import dev.berth.api.model.ExecInspect;

/** Exec sessions. Exec ids are 64-hex; unknown ones are NOT_FOUND ("No such exec instance: <id>"). */
public interface ExecBackend {
    /** Container not running is CONFLICT ("Container <id> is not running"). Returns the exec id. */
    String create(String containerNameOrId, ExecCreateRequest request);

    /**
     * Starts the process. With {@code streams == null} (detached) returns once it runs; otherwise
     * blocks until it exits or the client detaches.
     */
    void start(String execId, boolean tty, Integer consoleHeight, Integer consoleWidth, HijackedStreams streams);

    void resize(String execId, int height, int width);

    ExecInspect inspect(String execId);

    /** True when the exec was created with a TTY (the router picks raw vs multiplexed framing). */
    boolean usesTty(String execId);
}
