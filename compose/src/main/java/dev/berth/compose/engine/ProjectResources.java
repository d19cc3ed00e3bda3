package dev.berth.compose.engine;

import dev.berth.api.model.NetworkCreateRequest;
import dev.berth.api.model.NetworkResource;
import dev.berth.api.model.VolumeCreateRequest;
import dev.berth.client.BerthClient;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Networks, volumes and images a project needs: created with Compose's labels when missing,
 * external ones required to exist, images pulled according to {@code pull_policy}. Thread-safe.
 */
final class ProjectResources {
    private final BerthClient client;
    private final Progress progress;

    ProjectResources(BerthClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    void ensureNetworks(Project p, List<String> services) {
        Set<String> used = new LinkedHashSet<>();
        for (String s : services) {
            used.addAll(Values.map(p.service(s), "networks").keySet());
        }
        for (String key : used) {
            Map<String, Object> def = Values.map(p.networks(), key);
            String name = ContainerBody.networkName(p, key);
            if (exists(name)) {
                continue;
            }
            if (Values.bool(def.get("external"))) {
                throw new BerthException(ErrorKind.NOT_FOUND, "network " + name + " declared as external, but could not be found");
            }
            Map<String, String> labels = strings(Values.map(def, "labels"));
            labels.put(Labels.PROJECT, p.name());
            labels.put(Labels.NETWORK, key);
            labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
            NetworkResource.Ipam ipam = null;
            Map<String, Object> ipamDef = Values.map(def, "ipam");
            if (!ipamDef.isEmpty()) {
                List<NetworkResource.IpamConfig> cfg = new ArrayList<>();
                for (Object c : Values.list(ipamDef, "config")) {
                    Map<?, ?> m = (Map<?, ?>) c;
                    cfg.add(new NetworkResource.IpamConfig(Values.str(m.get("subnet")), Values.str(m.get("ip_range")),
                            Values.str(m.get("gateway")), null));
                }
                ipam = new NetworkResource.Ipam(Values.str(ipamDef.getOrDefault("driver", "default")), cfg, null);
            }
            client.networks().create(new NetworkCreateRequest(name, Values.str(def.getOrDefault("driver", "bridge")), null,
                    Values.bool(def.get("internal")), Values.bool(def.get("attachable")), false, false, null,
                    def.get("enable_ipv6") == null ? null : Values.bool(def.get("enable_ipv6")), ipam,
                    strings(Values.map(def, "driver_opts")), labels));
            progress.event("Network", name, "Created");
        }
    }

    private boolean exists(String network) {
        try {
            client.networks().inspect(network);
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    void ensureVolumes(Project p) {
        for (var e : p.volumes().entrySet()) {
            Map<String, Object> def = Values.map(p.volumes(), e.getKey());
            String name = Values.str(def.get("name"));
            try {
                client.volumes().inspect(name);
                continue;
            } catch (BerthException ex) {
                if (ex.kind() != ErrorKind.NOT_FOUND) {
                    throw ex;
                }
            }
            if (Values.bool(def.get("external"))) {
                throw new BerthException(ErrorKind.NOT_FOUND, "external volume \"" + name + "\" not found");
            }
            Map<String, String> labels = strings(Values.map(def, "labels"));
            labels.put(Labels.PROJECT, p.name());
            labels.put(Labels.VOLUME, e.getKey());
            labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
            client.volumes().create(new VolumeCreateRequest(name, Values.str(def.getOrDefault("driver", "local")),
                    strings(Values.map(def, "driver_opts")), labels));
            progress.event("Volume", name, "Created");
        }
    }

    void ensureImages(Project p, List<String> services, String pullFlag, boolean build) {
        for (String s : services) {
            Map<String, Object> svc = p.service(s);
            String image = ContainerBody.image(p, s, svc);
            String policy = pullFlag != null && !pullFlag.equals("missing") ? pullFlag : Values.str(svc.getOrDefault("pull_policy", "missing"));
            boolean present = imageExists(image);
            if (svc.get("build") != null && (build || (!present && svc.get("image") == null) || "build".equals(policy))) {
                new ImageBuilder(client, progress).build(p, s, svc);
                continue;
            }
            if ("always".equals(policy) || (!present && !"never".equals(policy))) {
                pull(s, image);
            } else if (!present) {
                throw new BerthException(ErrorKind.NOT_FOUND, "No such image: " + image);
            }
        }
    }

    boolean imageExists(String image) {
        try {
            client.images().inspect(image);
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    void pull(String service, String image) {
        progress.event("Image", image, "Pulling");
        String name = image;
        String tag = null;
        int at = image.indexOf('@');
        if (at >= 0) {
            name = image.substring(0, at);
            tag = image.substring(at + 1);
        } else {
            int colon = image.lastIndexOf(':');
            if (colon > image.lastIndexOf('/')) {
                name = image.substring(0, colon);
                tag = image.substring(colon + 1);
            } else {
                tag = "latest";
            }
        }
        List<String> errors = new ArrayList<>();
        client.images().pull(name, tag, null, null, m -> {
            if (m.error() != null) {
                errors.add(m.error());
            }
        });
        if (!errors.isEmpty()) {
            throw new BerthException(ErrorKind.NOT_FOUND, service + " Error " + errors.getFirst());
        }
        progress.event("Image", image, "Pulled");
    }

    static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, Values.str(v)));
        return out;
    }
}
