package dev.berth.distribution;

import dev.berth.common.Digest;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes pull and push progress as dockerd's JSON message stream (one JSON object per line, as
 * {@code POST /images/create} and {@code POST /images/{name}/push} answer), so the docker CLI
 * renders it unchanged. The daemon adds the final lines with {@link #status(String)}, e.g.
 * "Status: Downloaded newer image for busybox:latest". Thread-safe (writes are serialized); each
 * line is flushed.
 */
public final class DockerProgress implements PullListener, PushListener {
    private final java.util.function.Consumer<Map<String, Object>> sink;

    /** Writes JSON lines to {@code out}, flushing each. */
    public DockerProgress(OutputStream out) {
        this.sink = m -> {
            try {
                out.write(Json.mapper().writeValueAsBytes(m));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Hands each message as an ordered map ({@code status}, {@code progressDetail}, {@code progress},
     * {@code id}, {@code aux}) to {@code sink}, e.g. the daemon's {@code MessageSink::send}
     * (Jackson writes the map in this order).
     */
    public DockerProgress(java.util.function.Consumer<Map<String, Object>> sink) {
        this.sink = sink;
    }

    /** A bare status line: {@code {"status":"…"}}. */
    public void status(String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        write(m);
    }

    /** An error line as dockerd ends a failed stream: {@code {"errorDetail":{"message":…},"error":…}}. */
    public void error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errorDetail", Map.of("message", message));
        m.put("error", message);
        write(m);
    }

    private void line(String id, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("progressDetail", Map.of());
        m.put("id", id);
        write(m);
    }

    private void progress(String id, String status, long current, long total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("current", current);
        if (total > 0) {
            detail.put("total", total);
        }
        m.put("progressDetail", detail);
        m.put("progress", bar(current, total));
        m.put("id", id);
        write(m);
    }

    private synchronized void write(Map<String, Object> m) {
        sink.accept(m);
    }

    /** dockerd's progress text: {@code [=====>     ]  1.2MB/3.4MB}. */
    static String bar(long current, long total) {
        if (total <= 0) {
            return humanSize(current);
        }
        int pct = (int) Math.min(50, (current * 100 / total) / 2);
        return "[" + "=".repeat(pct) + ">" + " ".repeat(Math.max(0, 50 - pct)) + "] "
                + String.format("%8s/%s", humanSize(current), humanSize(total));
    }

    /** Go's units.HumanSize: decimal units, 4 significant digits ("32.77kB", "2.152MB", "512B"). */
    static String humanSize(long size) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = size;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
        return d.toPlainString() + units[u];
    }

    private static String id(LayerSource.Blob b) {
        Digest d = b.diffId() != null ? b.diffId() : Digest.parse(b.descriptor().digest());
        return d.shortHex();
    }

    // ---- pull

    @Override
    public void pullingFrom(String repositoryPath, String tagOrDigest) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "Pulling from " + repositoryPath);
        m.put("id", tagOrDigest);
        write(m);
    }

    @Override
    public void layerPending(LayerInfo layer) {
        line(layer.progressId(), "Pulling fs layer");
    }

    @Override
    public void layerExists(LayerInfo layer) {
        line(layer.progressId(), "Already exists");
    }

    @Override
    public void layerWaiting(LayerInfo layer) {
        line(layer.progressId(), "Waiting");
    }

    @Override
    public void layerDownloading(LayerInfo layer, long current, long total) {
        progress(layer.progressId(), "Downloading", current, total);
    }

    @Override
    public void layerVerifying(LayerInfo layer) {
        line(layer.progressId(), "Verifying Checksum");
    }

    @Override
    public void layerDownloaded(LayerInfo layer) {
        line(layer.progressId(), "Download complete");
    }

    @Override
    public void layerExtracting(LayerInfo layer, long current, long total) {
        progress(layer.progressId(), "Extracting", current, total);
    }

    @Override
    public void layerComplete(LayerInfo layer) {
        line(layer.progressId(), "Pull complete");
    }

    @Override
    public void digest(Digest digest) {
        status("Digest: " + digest);
    }

    // ---- push

    @Override
    public void pushRefersTo(String repository) {
        status("The push refers to repository [" + repository + "]");
    }

    @Override
    public void preparing(LayerSource.Blob layer) {
        line(id(layer), "Preparing");
    }

    @Override
    public void waiting(LayerSource.Blob layer) {
        line(id(layer), "Waiting");
    }

    @Override
    public void pushing(LayerSource.Blob layer, long current, long total) {
        progress(id(layer), "Pushing", current, total);
    }

    @Override
    public void pushed(LayerSource.Blob layer) {
        line(id(layer), "Pushed");
    }

    @Override
    public void alreadyExists(LayerSource.Blob layer) {
        line(id(layer), "Layer already exists");
    }

    @Override
    public void mountedFrom(LayerSource.Blob layer, String fromRepository) {
        line(id(layer), "Mounted from " + fromRepository);
    }

    @Override
    public void manifestPushed(String tag, Digest digest, long size) {
        status(tag + ": digest: " + digest + " size: " + size);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("progressDetail", Map.of());
        Map<String, Object> aux = new LinkedHashMap<>();
        aux.put("Tag", tag);
        aux.put("Digest", digest.toString());
        aux.put("Size", size);
        m.put("aux", aux);
        write(m);
    }
}
