package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.sys.cgroup.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The block-I/O weight on cgroup v1 hosts whose I/O scheduler is BFQ (no {@code blkio.weight},
 * only {@code blkio.bfq.weight} below the root). runc falls back to the BFQ file itself; crun 1.8
 * fails the whole create ("opening file `blkio.weight` for writing"). When active, the weight is
 * taken out of the spec given to the runtime and written to the BFQ file once the cgroup exists
 * (after create, before the process starts). Stateless; thread-safe.
 */
final class BfqWeight {
    private final boolean active;
    private final Cgroups cgroups;

    BfqWeight(boolean active, Cgroups cgroups) {
        this.active = active;
        this.cgroups = cgroups;
    }

    /** True if v1 blkio has no {@code blkio.weight} (the BFQ case). */
    static boolean bfqOnlyHost() {
        Path v1 = Path.of("/sys/fs/cgroup/blkio");
        return Files.isDirectory(v1) && !Files.exists(v1.resolve("blkio.weight"));
    }

    /** Removes {@code blockIO.weight} from OCI {@code resources} and returns it, when active. */
    Integer strip(JsonNode resources) {
        if (!active || !(resources instanceof ObjectNode res) || !(res.get("blockIO") instanceof ObjectNode bio)
                || !bio.has("weight")) {
            return null;
        }
        int w = bio.get("weight").asInt();
        bio.remove("weight");
        if (bio.isEmpty()) {
            res.remove("blockIO");
        }
        return w;
    }

    void apply(String cgroupsPath, int weight) {
        Path dir = cgroups.v1Dir("blkio", cgroupsPath)
                .orElseThrow(() -> BerthException.internal("no blkio cgroup for " + cgroupsPath, null));
        try {
            Files.writeString(dir.resolve("blkio.bfq.weight"), Integer.toString(weight));
        } catch (IOException e) {
            throw BerthException.internal("cannot set the block I/O weight: " + e.getMessage(), e);
        }
    }
}
