package dev.berth.builder.exec;

/**
 * Where a build's progress goes. The daemon turns {@link #stream} into {@code {"stream": …}}
 * JSON messages and {@link #aux} into {@code {"aux":{"ID": …}}}. The builder calls the output it
 * was given one call at a time (stages that run in parallel write through {@link ParallelOutput},
 * which serializes them), though not always from the same thread; {@link #cancelled} may be
 * called from any thread.
 */
public interface BuildOutput {

    /** Text for the user, normally ending in a newline (e.g. {@code "Step 1/3 : FROM busybox\n"}). */
    void stream(String text);

    /** The image id ({@code sha256:…}) of a finished stage. */
    void aux(String imageId);

    /**
     * Any other JSON message, written to the stream as is — e.g. pull progress
     * ({@code {"status":"Pulling fs layer","id":"…"}}) while FROM pulls a base image. Quiet builds
     * drop these; the default implementation drops them too.
     */
    default void message(Object jsonMessage) {}

    /**
     * Whether the client went away (the build should stop: a worker may poll this while a RUN is
     * silent and stop its container). May be called from any thread. Default: never.
     */
    default boolean cancelled() {
        return false;
    }

    /** An output that drops everything. */
    static BuildOutput discard() {
        return new BuildOutput() {
            @Override
            public void stream(String text) {}

            @Override
            public void aux(String imageId) {}
        };
    }
}
