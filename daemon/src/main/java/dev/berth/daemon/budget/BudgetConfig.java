package dev.berth.daemon.budget;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The disk budget settings from {@code daemon.json} (a Berth extension, beyond Docker):
 * <pre>
 * "storage-budget": "20GB",          // bytes the data root may use; absent or "0" = no budget
 * "storage-budget-high": 90,         // percent: above it, clean up ...
 * "storage-budget-low": 80,          // ... until usage is at or below this percent
 * "storage-budget-keep": ["busybox:*", "registry.example.com/base/*"]  // pinned references
 * </pre>
 * Sizes are decimal ({@code kB, MB, GB, TB} = 1000^n) or binary ({@code KiB, MiB, GiB, TiB}),
 * as go-units' {@code FromHumanSize}/{@code RAMInBytes}. An image is pinned when one of its tags
 * matches a keep pattern ({@code *} matches any run of characters) or it has the label
 * {@code berth.pin=true}; pinned images and images used by any container are never removed.
 */
public record BudgetConfig(long budgetBytes, int highPercent, int lowPercent, List<String> keepPatterns) {
    public static final String PIN_LABEL = "berth.pin";
    public static final BudgetConfig NONE = new BudgetConfig(0, 90, 80, List.of());

    public BudgetConfig {
        if (budgetBytes < 0) {
            throw BerthException.invalid("storage-budget must not be negative");
        }
        if (highPercent <= 0 || highPercent > 100 || lowPercent <= 0 || lowPercent > highPercent) {
            throw BerthException.invalid("storage-budget watermarks must satisfy 0 < low (%d) <= high (%d) <= 100", lowPercent, highPercent);
        }
        keepPatterns = List.copyOf(keepPatterns);
    }

    public boolean enabled() {
        return budgetBytes > 0;
    }

    public long highBytes() {
        return budgetBytes / 100 * highPercent + budgetBytes % 100 * highPercent / 100;
    }

    public long lowBytes() {
        return budgetBytes / 100 * lowPercent + budgetBytes % 100 * lowPercent / 100;
    }

    /** The keys this record reads (for the config file's known-key list). */
    public static final List<String> KEYS = List.of("storage-budget", "storage-budget-high", "storage-budget-low", "storage-budget-keep");

    /** Reads the budget keys of a {@code daemon.json}; an absent file or absent keys give {@link #NONE}. */
    public static BudgetConfig read(Path daemonJson) {
        if (daemonJson == null || !Files.isRegularFile(daemonJson)) {
            return NONE;
        }
        try {
            return fromJson(Json.mapper().readTree(Files.readString(daemonJson)));
        } catch (IOException | RuntimeException e) {
            if (e instanceof BerthException be) {
                throw be;
            }
            throw BerthException.invalid("unable to read storage budget from %s: %s", daemonJson, e.getMessage());
        }
    }

    public static BudgetConfig fromJson(JsonNode root) {
        if (root == null || !root.has("storage-budget")) {
            return NONE;
        }
        JsonNode b = root.get("storage-budget");
        long bytes = b.isNumber() ? b.asLong() : parseSize(b.asString());
        int high = root.has("storage-budget-high") ? root.get("storage-budget-high").asInt() : 90;
        int low = root.has("storage-budget-low") ? root.get("storage-budget-low").asInt() : 80;
        List<String> keep = new ArrayList<>();
        if (root.has("storage-budget-keep")) {
            for (JsonNode k : root.get("storage-budget-keep")) {
                keep.add(k.asString());
            }
        }
        return new BudgetConfig(bytes, high, low, keep);
    }

    /** "20GB" → 20_000_000_000; "1.5GiB" → 1610612736; a bare number is bytes. */
    public static long parseSize(String s) {
        String t = s.trim();
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw BerthException.invalid("invalid size: '%s'", s);
        }
        double n = Double.parseDouble(t.substring(0, i));
        String unit = t.substring(i).trim().toLowerCase(Locale.ROOT);
        long mult = switch (unit) {
            case "", "b" -> 1L;
            case "k", "kb" -> 1000L;
            case "m", "mb" -> 1000L * 1000;
            case "g", "gb" -> 1000L * 1000 * 1000;
            case "t", "tb" -> 1000L * 1000 * 1000 * 1000;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> throw BerthException.invalid("invalid size: '%s'", s);
        };
        return (long) (n * mult);
    }

    /** True when {@code reference} (e.g. {@code busybox:latest}) matches a keep pattern. */
    public boolean keeps(String reference) {
        for (String p : keepPatterns) {
            if (glob(p, reference)) {
                return true;
            }
        }
        return false;
    }

    static boolean glob(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return s.matches(re.toString());
    }
}
