package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** An OCI image index (also {@code index.json} of an OCI layout) or Docker manifest list. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Index(int schemaVersion, String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {}
