package dev.berth.daemon.backend;

import dev.berth.common.Filters;
import dev.berth.image.LocalImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The filters of {@code GET /images/json} and {@code POST /images/prune}: dangling, label,
 * label!, reference (Go path.Match against the familiar name and name:tag), before, since, until.
 * Stateless apart from the image resolver used by before/since.
 */
final class ImageFilters {
    static final Set<String> LIST_KEYS = Set.of("dangling", "label", "label!", "reference", "before", "since", "until");
    static final Set<String> PRUNE_KEYS = Set.of("dangling", "label", "label!", "until");

    private ImageFilters() {}

    /** The tags to show for {@code img} if it passes; empty Optional if it is filtered out. */
    static Optional<List<String>> apply(LocalImage img, Filters f, Function<String, LocalImage> resolve, Instant now) {
        List<String> tags = img.repoTags() == null ? List.of() : img.repoTags();
        if (f.has("dangling")) {
            boolean want = parseBool(f.get("dangling"));
            if (want != tags.isEmpty()) {
                return Optional.empty();
            }
        }
        Map<String, String> labels = img.labels() == null ? Map.of() : img.labels();
        if (!labelsMatch(f, labels)) {
            return Optional.empty();
        }
        Instant created = FilterTimes.ofRfc3339(img.created());
        for (String b : f.get("before")) {
            if (!created.isBefore(FilterTimes.ofRfc3339(resolve.apply(b).created()))) {
                return Optional.empty();
            }
        }
        for (String s : f.get("since")) {
            if (!created.isAfter(FilterTimes.ofRfc3339(resolve.apply(s).created()))) {
                return Optional.empty();
            }
        }
        for (String u : f.get("until")) {
            if (!created.isBefore(FilterTimes.parse(u, now))) {
                return Optional.empty();
            }
        }
        if (f.has("reference")) {
            List<String> matching = new ArrayList<>();
            for (String tag : tags) {
                String name = nameOf(tag);
                for (String pattern : f.get("reference")) {
                    if (Globs.match(pattern, tag) || Globs.match(pattern, name)) {
                        matching.add(tag);
                        break;
                    }
                }
            }
            if (matching.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(matching);
        }
        return Optional.of(tags);
    }

    static boolean labelsMatch(Filters f, Map<String, String> labels) {
        for (String l : f.get("label")) {
            if (!kvMatch(l, labels)) {
                return false;
            }
        }
        for (String l : f.get("label!")) {
            if (kvMatch(l, labels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean kvMatch(String filter, Map<String, String> labels) {
        int eq = filter.indexOf('=');
        String k = eq >= 0 ? filter.substring(0, eq) : filter;
        String v = labels.get(k);
        return v != null && (eq < 0 || v.equals(filter.substring(eq + 1)));
    }

    static boolean parseBool(Set<String> values) {
        if (values.size() != 1) {
            throw dev.berth.common.BerthException.invalid("invalid filter 'dangling=%s'", String.join(",", values));
        }
        String v = values.iterator().next().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw dev.berth.common.BerthException.invalid("invalid filter 'dangling=%s'", v);
        };
    }

    private static String nameOf(String tag) {
        int at = tag.indexOf('@');
        if (at >= 0) {
            return tag.substring(0, at);
        }
        int slash = tag.lastIndexOf('/');
        int colon = tag.lastIndexOf(':');
        return colon > slash ? tag.substring(0, colon) : tag;
    }
}
