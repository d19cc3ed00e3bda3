package dev.berth.api.backend;

import dev.berth.api.model.HistoryItem;
import dev.berth.api.model.ImageDeleteItem;
import dev.berth.api.model.ImageInspect;
import dev.berth.api.model.ImageSummary;
import dev.berth.api.model.PruneReport;
import dev.berth.common.Filters;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Local images. Images are named by reference ({@code busybox}, {@code busybox:1},
 * {@code host:5000/a/b@sha256:…}), full or short id. Unknown images are NOT_FOUND with Docker's
 * message {@code No such image: <name>}.
 */
public interface ImageBackend {
    List<ImageSummary> list(boolean all, Filters filters, boolean withManifests);

    ImageInspect inspect(String name);

    List<HistoryItem> history(String name);

    /** Tags {@code source} as {@code repo:tag} (tag defaults to latest). */
    void tag(String source, String repo, String tag);

    List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune);

    PruneReport prune(Filters filters);

    /**
     * {@code POST /images/create?fromSrc=-}: a root filesystem tar becomes a one-layer image.
     * Progress and the final {@code {"status":"sha256:…"}} go to the sink.
     */
    void importImage(InputStream tar, String repo, String tag, List<String> changes, String message, String platform, MessageSink progress);

    /** {@code POST /images/create?fromImage=…}: pull from a registry (progress in-band). */
    void pull(String fromImage, String tag, String platform, String registryAuth, MessageSink progress);

    /** {@code POST /images/{name}/push}. */
    void push(String name, String tag, String registryAuth, MessageSink progress);

    /** {@code POST /images/load}: docker-archive or OCI layout tar; "Loaded image: …" messages. */
    void load(InputStream archive, boolean quiet, MessageSink progress);

    /** {@code GET /images/get}: writes a docker-archive (with OCI layout files) of the named images. */
    void save(List<String> names, OutputStream out);
}
