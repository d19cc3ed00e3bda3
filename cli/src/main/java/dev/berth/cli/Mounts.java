package dev.berth.cli;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import tools.jackson.databind.node.ObjectNode;

/** Parses {@code --mount type=…,source=…,target=…[,readonly]} into a HostConfig.Mounts entry. */
final class Mounts {
    private Mounts() {}

    static ObjectNode parse(String spec) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("Type", "volume");
        for (String field : spec.split(",")) {
            String[] kv = field.split("=", 2);
            String k = kv[0].trim().toLowerCase();
            String v = kv.length > 1 ? kv[1] : null;
            switch (k) {
                case "type" -> m.put("Type", v);
                case "source", "src" -> m.put("Source", v);
                case "target", "destination", "dst" -> m.put("Target", v);
                case "readonly", "ro" -> m.put("ReadOnly", v == null || Boolean.parseBoolean(v) || v.equals("1"));
                case "bind-propagation" -> m.putObject("BindOptions").put("Propagation", v);
                case "volume-nocopy" -> m.putObject("VolumeOptions").put("NoCopy", v == null || Boolean.parseBoolean(v));
                case "tmpfs-size" -> m.putObject("TmpfsOptions").put("SizeBytes", Units.ramInBytes(v));
                default -> throw BerthException.invalid("invalid argument \"%s\" for \"--mount\" flag: unexpected key '%s' in '%s'", spec, k, field);
            }
        }
        if (!m.has("Target")) {
            throw BerthException.invalid("invalid argument \"%s\" for \"--mount\" flag: target is required", spec);
        }
        return m;
    }
}
