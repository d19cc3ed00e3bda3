package dev.berth.api.backend;

import dev.berth.api.model.SystemInfo;
import dev.berth.api.model.SystemVersion;
import dev.berth.common.Filters;
import java.util.Map;

/** Daemon-wide queries and the event stream. */
public interface SystemBackend {
    SystemVersion version();

    SystemInfo info();

    /**
     * Streams events: first past ones in [since, until], then live ones until {@code until} passes
     * or the sink closes. since/until are Unix seconds with fraction; 0 means unset. Blocks.
     */
    void events(double since, double until, Filters filters, MessageSink sink);

    /** {@code GET /system/df}: the swagger shape (LayersSize, Images, Containers, Volumes, BuildCache). */
    Map<String, Object> diskUsage();
}
