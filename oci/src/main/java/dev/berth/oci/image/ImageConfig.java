package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The image configuration JSON (Docker image spec v1.x / OCI image config). The image id is the
 * digest of its exact bytes, so configs read from elsewhere are kept as bytes and this record is
 * only a view of them; configs we create are serialized from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfig(
        String created,
        String author,
        String architecture,
        String variant,
        String os,
        @JsonProperty("os.version") String osVersion,
        String comment,
        @JsonProperty("docker_version") String dockerVersion,
        String parent,
        ContainerConfig config,
        RootFs rootfs,
        List<History> history) {

    /** {@code rootfs}: type is always {@code layers}; diff ids bottom first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}

    /** One {@code history} entry; {@code created_by} is the command that made the layer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(
            String created,
            @JsonProperty("created_by") String createdBy,
            String author,
            String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer) {}
}
