package dev.berth.compose.engine;

import dev.berth.api.model.NetworkConnectRequest;
import dev.berth.client.BerthClient;
import dev.berth.common.BerthException;
import dev.berth.common.Json;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first half of a zero-downtime ({@code --replace-strategy start-first}) replacement: the new
 * container is created and started WITHOUT its service aliases, so peers resolving the service
 * name keep getting only the old container while the new one boots; once it is healthy (or
 * running, without a healthcheck) it is re-attached with its aliases and the old container is
 * detached from the project networks, so the DNS answer moves to the new container before the
 * caller stops the old one. Used by one thread at a time (the caller's recreate).
 */
final class StartFirst {
    private final BerthClient client;
    private final Health health;
    private final SecretFiles secrets;
    private final ComposeEngine engine;

    StartFirst(BerthClient client, Health health, SecretFiles secrets, ComposeEngine engine) {
        this.client = client;
        this.health = health;
        this.secrets = secrets;
        this.engine = engine;
    }

    /** Creates, starts and swaps in the new container; returns its id. The old one is left running but detached. */
    @SuppressWarnings("unchecked")
    String replace(Project p, String service, Map<String, Object> s, int n, String hash, String tmpName, String oldId, Duration timeout) {
        Map<String, Object> body = ContainerBody.build(p, service, n, false, hash, s, secrets);
        engine.checkGpus(body);
        Map<String, Map<String, Object>> endpoints = new LinkedHashMap<>();
        Object networking = body.get("NetworkingConfig");
        if (networking instanceof Map<?, ?> nc && nc.get("EndpointsConfig") instanceof Map<?, ?> eps) {
            ((Map<String, Map<String, Object>>) eps).forEach((net, ep) -> endpoints.put(net, ep));
            // boot on the first network without aliases: reachable by its own (temporary) name only
            Map<String, Object> hidden = new LinkedHashMap<>();
            endpoints.forEach((net, ep) -> {
                Map<String, Object> copy = new LinkedHashMap<>(ep);
                copy.put("Aliases", List.of());
                hidden.put(net, copy);
            });
            Map<String, Object> nb = new LinkedHashMap<>((Map<String, Object>) nc);
            nb.put("EndpointsConfig", hidden);
            body.put("NetworkingConfig", nb);
        }
        String id = client.containers().create(tmpName, Values.str(s.get("platform")), Json.mapper().valueToTree(body)).id();
        engine.start(id, tmpName);
        health.await(id, tmpName, Health.Goal.RUNNING_OR_HEALTHY, timeout);
        // publish the aliases: reconnect the first network with them, connect the others
        for (Map.Entry<String, Map<String, Object>> e : endpoints.entrySet()) {
            client.networks().disconnect(e.getKey(), id, true);
            connect(e.getKey(), id, e.getValue());
        }
        for (Map.Entry<String, Map<String, Object>> e : ContainerBody.extraNetworks(p, service, s, false).entrySet()) {
            connect(e.getKey(), id, e.getValue());
        }
        // withdraw the old container from name resolution before it is stopped
        List<String> nets = new ArrayList<>(endpoints.keySet());
        nets.addAll(ContainerBody.extraNetworks(p, service, s, false).keySet());
        for (String net : nets) {
            try {
                client.networks().disconnect(net, oldId, true);
            } catch (BerthException ignored) {
                // not attached (any more): nothing to withdraw
            }
        }
        return id;
    }

    private void connect(String net, String id, Map<String, Object> ep) {
        client.networks().connect(net, Json.mapper().convertValue(Map.of("Container", id, "EndpointConfig", ep), NetworkConnectRequest.class));
    }
}
