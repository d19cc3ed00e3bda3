package dev.berth.registry;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Offline mark-and-sweep of blobs (like {@code registry garbage-collect}): marks every manifest
 * revision of every repository (or, with {@code deleteUntagged}, only manifests reachable from a
 * tag; untagged revisions are then unlinked) and what it references (config, layers, child
 * manifests), then deletes every other blob. Run it while the server is stopped: an upload that
 * completes during the sweep could lose its blob.
 */
public final class GarbageCollector {
    /**
     * @param marked         blobs kept
     * @param deleted        blobs removed (or that would be, in a dry run)
     * @param purgedUploads  abandoned upload sessions removed
     */
    public record Result(int marked, List<Digest> deleted, int purgedUploads) {}

    /** Upload sessions idle this long are abandoned (distribution's default upload purge age). */
    public static final java.time.Duration UPLOAD_MAX_AGE = java.time.Duration.ofDays(7);

    private final RegistryStorage storage;

    public GarbageCollector(RegistryStorage storage) {
        this.storage = storage;
    }

    public Result run(boolean dryRun, boolean deleteUntagged) throws IOException {
        Set<Digest> marked = new HashSet<>();
        for (String repo : storage.repositories()) {
            Deque<Digest> work = new ArrayDeque<>();
            if (deleteUntagged) {
                for (String tag : storage.tags(repo)) {
                    storage.resolveTag(repo, tag).ifPresent(work::add);
                }
            } else {
                work.addAll(storage.revisions(repo));
            }
            Set<Digest> reached = new HashSet<>();
            while (!work.isEmpty()) {
                Digest d = work.pop();
                if (!reached.add(d)) {
                    continue;
                }
                marked.add(d);
                if (!storage.blobExists(d)) {
                    continue;
                }
                JsonNode node;
                try {
                    node = Json.mapper().readTree(storage.readBlob(d));
                } catch (RuntimeException e) {
                    continue;
                }
                mark(node.path("config"), marked);
                for (JsonNode l : node.path("layers")) {
                    mark(l, marked);
                }
                for (JsonNode m : node.path("manifests")) {
                    String s = m.path("digest").asString("");
                    if (Digest.isDigest(s)) {
                        work.add(Digest.parse(s));
                    }
                }
            }
            if (deleteUntagged && !dryRun) {
                for (Digest rev : storage.revisions(repo)) {
                    if (!reached.contains(rev)) {
                        storage.unlinkManifest(repo, rev);
                    }
                }
            }
        }
        List<Digest> deleted = new ArrayList<>();
        for (Digest d : storage.allBlobs()) {
            if (!marked.contains(d)) {
                deleted.add(d);
                if (!dryRun) {
                    storage.deleteBlob(d);
                }
            }
        }
        int purged = dryRun ? 0 : storage.purgeUploads(UPLOAD_MAX_AGE);
        return new Result(marked.size(), deleted, purged);
    }

    private static void mark(JsonNode descriptor, Set<Digest> marked) {
        String s = descriptor.path("digest").asString("");
        if (Digest.isDigest(s)) {
            marked.add(Digest.parse(s));
        }
    }
}
