package dev.berth.image;

import dev.berth.oci.ref.Reference;

import dev.berth.oci.image.ContainerConfig;
import dev.berth.oci.image.ImageConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Converts stored wire models into the domain records the daemon sees. Pure utility. */
final class ImageViews {
    private ImageViews() {}

    static LocalImage toLocalImage(String id, ImageConfig c, List<Reference> refs, String parent, long size) {
        List<String> tags = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (Reference r : refs) {
            if (r.digest() != null) {
                digests.add(r.familiarName() + "@" + r.digest());
            } else {
                tags.add(r.familiarString());
            }
        }
        ImageRuntimeConfig rc = runtimeConfig(c.config());
        List<String> diffIds = c.rootfs() == null || c.rootfs().diffIds() == null ? List.of() : List.copyOf(c.rootfs().diffIds());
        Map<String, String> labels = rc.labels() == null ? Map.of() : rc.labels();
        return new LocalImage(id, tags, digests, parent == null ? "" : parent, c.created() == null ? "" : c.created(),
                nz(c.author()), nz(c.comment()), nz(c.architecture()), c.variant(), nz(c.os()), rc, diffIds, size, labels);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static ImageRuntimeConfig runtimeConfig(ContainerConfig c) {
        if (c == null) {
            return new ImageRuntimeConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        ImageRuntimeConfig.Healthcheck hc = null;
        if (c.healthcheck() != null) {
            var h = c.healthcheck();
            hc = new ImageRuntimeConfig.Healthcheck(h.test(), h.interval(), h.timeout(), h.startPeriod(), h.startInterval(), h.retries());
        }
        return new ImageRuntimeConfig(
                c.user(),
                c.exposedPorts() == null ? null : new LinkedHashSet<>(c.exposedPorts().keySet()),
                c.env(), c.entrypoint(), c.cmd(),
                c.volumes() == null ? null : new LinkedHashSet<>(c.volumes().keySet()),
                c.workingDir(),
                c.labels() == null ? null : new LinkedHashMap<>(c.labels()),
                c.stopSignal(), hc, c.onBuild(), c.shell(), c.argsEscaped());
    }

    /** Epoch seconds of an RFC 3339 time; 0 when absent or unparsable. */
    static long epochSeconds(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toEpochSecond();
        } catch (RuntimeException e) {
            try {
                return Instant.parse(rfc3339).getEpochSecond();
            } catch (RuntimeException e2) {
                return 0;
            }
        }
    }

    /** History newest first; the top entry carries the image id and tags, the others a null id. */
    static List<ImageService.HistoryEntry> history(String id, ImageConfig c, List<String> tags, List<Long> layerSizes) {
        List<ImageService.HistoryEntry> out = new ArrayList<>();
        int layer = 0;
        List<ImageConfig.History> hs = c.history() == null ? List.of() : c.history();
        for (ImageConfig.History h : hs) {
            boolean empty = Boolean.TRUE.equals(h.emptyLayer());
            long size = 0;
            if (!empty && layer < layerSizes.size()) {
                size = layerSizes.get(layer++);
            }
            out.add(new ImageService.HistoryEntry(null, epochSeconds(h.created()), h.createdBy() == null ? "" : h.createdBy(),
                    List.of(), size, h.comment() == null ? "" : h.comment(), empty));
        }
        if (out.isEmpty()) {
            for (long s : layerSizes) {
                out.add(new ImageService.HistoryEntry(null, epochSeconds(c.created()), "", List.of(), s, "", false));
            }
        }
        List<ImageService.HistoryEntry> rev = new ArrayList<>(out.reversed());
        if (!rev.isEmpty()) {
            var top = rev.getFirst();
            rev.set(0, new ImageService.HistoryEntry(id, top.created(), top.createdBy(), tags, top.size(), top.comment(), top.emptyLayer()));
        }
        return rev;
    }
}
