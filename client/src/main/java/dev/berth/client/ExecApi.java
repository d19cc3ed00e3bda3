package dev.berth.client;

import dev.berth.api.model.ExecCreateRequest;
import dev.berth.api.model.ExecInspect;
import dev.berth.api.model.IdResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Exec endpoints. Thread-safe (stateless over the client). */
public final class ExecApi {
    private final BerthClient c;

    ExecApi(BerthClient c) {
        this.c = c;
    }

    /** {@code POST /containers/{id}/exec}; returns the exec id. */
    public String create(String container, ExecCreateRequest request) {
        return c.json("POST", "/containers/" + container + "/exec", null, request, IdResponse.class).id();
    }

    /** Starts an exec attached: a hijacked connection carrying its streams. */
    public Hijacked startAttached(String execId, boolean tty, List<Integer> consoleSize) {
        return c.hijack("/exec/" + execId + "/start", null, startBody(false, tty, consoleSize), tty);
    }

    /** Starts an exec detached ({@code -d}): a plain POST. */
    public void startDetached(String execId, boolean tty) {
        c.exchange("POST", "/exec/" + execId + "/start", null, startBody(true, tty, null));
    }

    public ExecInspect inspect(String execId) {
        return c.json("GET", "/exec/" + execId + "/json", null, null, ExecInspect.class);
    }

    public void resize(String execId, int height, int width) {
        c.exchange("POST", "/exec/" + execId + "/resize", Query.of().add("h", height).add("w", width), null);
    }

    private static Map<String, Object> startBody(boolean detach, boolean tty, List<Integer> consoleSize) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Detach", detach);
        body.put("Tty", tty);
        if (consoleSize != null) {
            body.put("ConsoleSize", consoleSize);
        }
        return body;
    }
}
