package dev.berth.client;

import dev.berth.api.model.Event;
import dev.berth.api.model.SystemInfo;
import dev.berth.api.model.SystemVersion;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.util.Collection;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** System endpoints: ping, version, info, df, events. Thread-safe (stateless over the client). */
public final class SystemApi {
    private final BerthClient c;

    SystemApi(BerthClient c) {
        this.c = c;
    }

    /** {@code HEAD /_ping}, falling back to {@code GET}; does not negotiate the version. */
    public Ping ping() {
        HttpResponse head = c.rawCall("HEAD", "/_ping", Map.of(), null);
        if (head.status() == 404 || head.status() == 405) {
            head.close();
            head = c.rawCall("GET", "/_ping", Map.of(), null);
        }
        try (HttpResponse r = head) {
            if (r.status() >= 400) {
                throw BerthClient.toException(r);
            }
            return new Ping(r.header("Api-Version"), r.header("Ostype"),
                    "true".equalsIgnoreCase(r.header("Docker-Experimental")), r.header("Builder-Version"));
        }
    }

    public SystemVersion version() {
        return c.json("GET", "/version", null, null, SystemVersion.class);
    }

    public SystemInfo info() {
        return c.json("GET", "/info", null, null, SystemInfo.class);
    }

    /** {@code GET /system/df} as a JSON tree (no record for it in the api module). */
    public JsonNode df() {
        return c.tree("GET", "/system/df", null);
    }

    /**
     * Streams events to {@code consumer} until it returns false, the stream ends ({@code until}
     * reached) or the connection closes.
     *
     * @param since unix seconds or RFC 3339 or duration as the engine accepts, or null
     * @param until same forms, or null for an endless stream
     */
    public void events(String since, String until, Map<String, ? extends Collection<String>> filters, Predicate<Event> consumer) {
        Query q = Query.of().add("since", since).add("until", until).filters(filters);
        try (HttpResponse r = c.call("GET", "/events", q)) {
            JsonStream.forEach(r.body(), Event.class, consumer);
        } catch (BerthException e) {
            throw e;
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.io.IOException) {
                return; // connection closed
            }
            throw new BerthException(ErrorKind.INTERNAL, "reading events: " + e.getMessage(), e);
        }
    }

    /**
     * {@code POST /auth}: checks credentials with a registry through the engine.
     *
     * @return the reply ({@code Status}, maybe {@code IdentityToken})
     */
    public JsonNode auth(String username, String password, String serverAddress) {
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        body.put("serveraddress", serverAddress);
        try (HttpResponse r = c.call("POST", "/auth", null, BerthClient.jsonHeaders(body), BerthClient.jsonBytes(body))) {
            return dev.berth.common.Json.mapper().readTree(r.body());
        }
    }
}
