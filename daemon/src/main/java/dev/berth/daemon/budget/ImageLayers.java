package dev.berth.daemon.budget;

import dev.berth.image.ImageService;
import dev.berth.image.LocalImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The layers of local images as content-addressed chain ids with their unpacked sizes, and the
 * numbers {@code docker system df} wants from them: the size of all distinct layers
 * ({@code LayersSize}) and, per image, the bytes it shares with other images ({@code SharedSize}).
 * Pure functions apart from {@link #of}, which reads the image store.
 */
public final class ImageLayers {
    private ImageLayers() {}

    /** One layer: its chain id (identity of the layer stack up to here) and unpacked size. */
    public record Layer(String chainId, long size) {}

    /** An image with its layers (bottom first). */
    public record ImageInfo(LocalImage image, List<Layer> layers) {}

    /** Reads every image's layers; sizes come from the image history (one entry per non-empty layer). */
    public static List<ImageInfo> of(ImageService images) {
        List<ImageInfo> out = new ArrayList<>();
        for (LocalImage img : images.list()) {
            List<Long> sizes = new ArrayList<>();
            try {
                List<ImageService.HistoryEntry> h = images.history(img.id());
                for (int i = h.size() - 1; i >= 0; i--) {
                    if (!h.get(i).emptyLayer()) {
                        sizes.add(h.get(i).size());
                    }
                }
            } catch (RuntimeException vanished) {
                continue;
            }
            out.add(new ImageInfo(img, layers(img.diffIds(), sizes, img.size())));
        }
        return out;
    }

    /**
     * Chain ids ({@code chain[0] = diff[0]}, {@code chain[i] = sha256(chain[i-1] + " " + diff[i])}) with
     * sizes; when the history does not line up with the layers, the whole size goes to the top layer.
     */
    public static List<Layer> layers(List<String> diffIds, List<Long> sizes, long total) {
        List<Layer> out = new ArrayList<>();
        boolean aligned = sizes.size() == diffIds.size();
        String chain = null;
        for (int i = 0; i < diffIds.size(); i++) {
            chain = chain == null ? diffIds.get(i) : "sha256:" + sha256(chain + " " + diffIds.get(i));
            long size = aligned ? sizes.get(i) : (i == diffIds.size() - 1 ? total : 0);
            out.add(new Layer(chain, size));
        }
        return out;
    }

    /** How many images use each chain id. */
    public static Map<String, Integer> refCounts(List<ImageInfo> images) {
        Map<String, Integer> refs = new HashMap<>();
        for (ImageInfo i : images) {
            for (Layer l : i.layers()) {
                refs.merge(l.chainId(), 1, Integer::sum);
            }
        }
        return refs;
    }

    /** Docker's {@code LayersSize}: bytes of all distinct layers. */
    public static long layersSize(List<ImageInfo> images) {
        Map<String, Long> distinct = new HashMap<>();
        for (ImageInfo i : images) {
            for (Layer l : i.layers()) {
                distinct.putIfAbsent(l.chainId(), l.size());
            }
        }
        return distinct.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Docker's {@code SharedSize} per image id: bytes of its layers that other images use too (0 when none). */
    public static Map<String, Long> sharedSizes(List<ImageInfo> images) {
        Map<String, Integer> refs = refCounts(images);
        Map<String, Long> out = new HashMap<>();
        for (ImageInfo i : images) {
            long shared = 0;
            for (Layer l : i.layers()) {
                if (refs.get(l.chainId()) > 1) {
                    shared += l.size();
                }
            }
            out.put(i.image().id(), shared);
        }
        return out;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
