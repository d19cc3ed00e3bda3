package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** An OCI content descriptor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations, Platform platform) {
    public Descriptor(String mediaType, String digest, long size) {
        this(mediaType, digest, size, null, null);
    }

    /** An OCI platform. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Platform(String architecture, String os, String variant) {}
}
