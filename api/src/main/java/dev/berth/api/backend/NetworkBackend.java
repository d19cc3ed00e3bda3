package dev.berth.api.backend;

import dev.berth.api.model.NetworkConnectRequest;
import dev.berth.api.model.NetworkCreateRequest;
import dev.berth.api.model.NetworkResource;
import dev.berth.api.model.PruneReport;
import dev.berth.common.Filters;
import java.util.List;

/** Networks. Named by full id, unique id prefix or name; unknown ones are NOT_FOUND ("network <n> not found"). */
public interface NetworkBackend {
    /** Returns {@code {Id, Warning}} as the id plus an optional warning. */
    NetworkResource create(NetworkCreateRequest request);

    List<NetworkResource> list(Filters filters);

    NetworkResource inspect(String nameOrId, boolean verbose);

    void remove(String nameOrId);

    void connect(String nameOrId, NetworkConnectRequest request);

    void disconnect(String nameOrId, NetworkConnectRequest request);

    PruneReport prune(Filters filters);
}
