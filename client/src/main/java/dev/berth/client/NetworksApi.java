package dev.berth.client;

import dev.berth.api.model.NetworkConnectRequest;
import dev.berth.api.model.NetworkCreateRequest;
import dev.berth.api.model.NetworkResource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Network endpoints. Thread-safe (stateless over the client). */
public final class NetworksApi {
    private final BerthClient c;

    NetworksApi(BerthClient c) {
        this.c = c;
    }

    public List<NetworkResource> list(Map<String, ? extends Collection<String>> filters) {
        return c.json("GET", "/networks", Query.of().filters(filters), null, BerthClient.listOf(NetworkResource.class));
    }

    public NetworkResource inspect(String id) {
        return c.json("GET", "/networks/" + id, null, null, NetworkResource.class);
    }

    public JsonNode inspectRaw(String id) {
        return c.tree("GET", "/networks/" + id, null);
    }

    /** Returns the new network's id. */
    public String create(NetworkCreateRequest request) {
        JsonNode r = c.json("POST", "/networks/create", null, request, JsonNode.class);
        return r.get("Id").asString();
    }

    public void remove(String id) {
        c.exchange("DELETE", "/networks/" + id, null, null);
    }

    public void connect(String network, NetworkConnectRequest request) {
        c.exchange("POST", "/networks/" + network + "/connect", null, request);
    }

    public void disconnect(String network, String container, boolean force) {
        c.exchange("POST", "/networks/" + network + "/disconnect", null,
                new NetworkConnectRequest(container, null, force));
    }

    public JsonNode prune(Map<String, ? extends Collection<String>> filters) {
        return c.tree("POST", "/networks/prune", Query.of().filters(filters));
    }
}
