package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** An OCI image manifest or Docker v2.2 manifest (same shape). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
        Map<String, String> annotations) {}
