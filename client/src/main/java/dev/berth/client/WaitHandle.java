package dev.berth.client;

import dev.berth.api.model.ContainerWaitResponse;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import java.io.Closeable;

/**
 * A {@code POST /containers/{id}/wait} whose headers have arrived (the engine sends them at once)
 * and whose body arrives when the condition is met. Opened before start so no exit is missed.
 */
public final class WaitHandle implements Closeable {
    private final HttpResponse response;

    WaitHandle(HttpResponse response) {
        this.response = response;
    }

    /** Blocks until the condition is met; returns the exit status. */
    public ContainerWaitResponse result() {
        try (response) {
            return Json.mapper().readValue(response.body(), ContainerWaitResponse.class);
        } catch (RuntimeException e) {
            throw new BerthException(ErrorKind.UNAVAILABLE, "error waiting for container: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        response.close();
    }
}
