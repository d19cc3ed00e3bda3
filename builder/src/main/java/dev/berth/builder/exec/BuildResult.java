package dev.berth.builder.exec;

import java.util.List;

/** The outcome of a successful build: the final image id and the names it was tagged with. */
public record BuildResult(String imageId, List<String> tags) {
    public BuildResult {
        tags = List.copyOf(tags);
    }
}
