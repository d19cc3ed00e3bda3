package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.network.NetworkService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Legacy container links ({@code --link name[:alias]}) on the default bridge, as dockerd keeps
 * them: stored in HostConfig.Links as {@code /child:/parent/alias}, checked at create (the child
 * must exist and not use host networking), resolved at start into {@code /etc/hosts} entries of
 * the linking container (alias, the child's hostname and name → the child's bridge address). The
 * legacy environment variables ({@code FOO_PORT_80_TCP…}) are not set. Pure functions over the
 * index and the network service; thread-safe.
 */
final class Links {
    private Links() {}

    /** One parsed link: child container name and the alias under the parent. */
    record Link(String child, String alias) {}

    /** opts.ParseLink: {@code name[:alias]}, leading slashes dropped; the alias defaults to the name. */
    static Link parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        String name = s;
        String alias = null;
        if (s.startsWith("/") && s.indexOf(":/") > 0) {
            // already normalized: /child:/parent/alias
            int i = s.indexOf(":/");
            name = s.substring(0, i);
            String full = s.substring(i + 1);
            alias = full.substring(full.lastIndexOf('/') + 1);
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0) {
                name = s.substring(0, colon);
                alias = s.substring(colon + 1);
            }
        }
        name = strip(name);
        alias = alias == null || alias.isEmpty() ? name : strip(alias);
        if (name.isEmpty()) {
            throw BerthException.invalid("invalid link format: %s", spec);
        }
        return new Link(name, alias);
    }

    private static String strip(String s) {
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s;
    }

    /**
     * Validates links at create and returns them in dockerd's stored form. Errors as dockerd's
     * registerLinks: unknown child → 400 "could not get container for X: No such container: X".
     */
    static List<String> normalize(List<String> links, String parentName, String networkMode, ContainerIndex index) {
        if (links == null || links.isEmpty()) {
            return links;
        }
        if (networkMode.equals("host")) {
            throw BerthException.invalid("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
        }
        String parent = parentName.startsWith("/") ? parentName : "/" + parentName;
        List<String> out = new ArrayList<>();
        for (String spec : links) {
            Link l = parse(spec);
            Container child = index.find(l.child());
            if (child == null) {
                throw BerthException.invalid("could not get container for %s: No such container: %s", l.child(), l.child());
            }
            if ("host".equals(SandboxRequests.networkMode(child.rec.hostConfig))) {
                throw BerthException.invalid("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
            }
            out.add(child.rec.name + ":" + parent + "/" + l.alias());
        }
        return out;
    }

    /**
     * The extra {@code /etc/hosts} entries ({@code host:ip}) a container's links give at start.
     * Links matter only on the default bridge (elsewhere names resolve through the embedded DNS).
     * A child that is not running fails the start like dockerd: "Cannot link to a non running
     * container: /child AS /parent/alias".
     */
    static List<String> extraHosts(ContainerRecord r, ContainerIndex index, NetworkService network) {
        List<String> links = r.hostConfig.links();
        if (links == null || links.isEmpty() || !"bridge".equals(SandboxRequests.networkMode(r.hostConfig))) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String spec : links) {
            Link l = parse(spec);
            Container child = index.find(l.child());
            String shown = "/" + l.child() + " AS " + r.name + "/" + l.alias();
            if (child == null || !child.rec.state.running) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "Cannot link to a non running container: " + shown);
            }
            String ip = network.sandbox(child.rec.id)
                    .map(s -> s.endpoints().get("bridge"))
                    .map(NetworkService.Endpoint::ipv4Address)
                    .filter(a -> a != null && !a.isEmpty())
                    .orElse(null);
            if (ip == null) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "Cannot link to " + shown
                        + ": the container is not on the default bridge network");
            }
            Set<String> names = new LinkedHashSet<>();
            names.add(l.alias());
            if (child.rec.config.hostname() != null && !child.rec.config.hostname().isEmpty()) {
                names.add(child.rec.config.hostname());
            }
            names.add(child.rec.shortName());
            // one line like dockerd's: "<ip>\t<alias> <hostname> <name>" (the hosts writer puts the
            // text before the last-resort ':' separator verbatim after the address)
            out.add(String.join(" ", names) + ":" + ip);
        }
        return out;
    }

    /**
     * {@code docker rm --link /parent/alias}: the parent's HostConfig.Links without that link
     * (dockerd's rmLink). Returns null when {@code linkName} names no link of {@code parent}.
     */
    static List<String> without(List<String> links, String linkName) {
        if (links == null) {
            return null;
        }
        String want = linkName.startsWith("/") ? linkName : "/" + linkName;
        List<String> out = new ArrayList<>();
        boolean found = false;
        for (String s : links) {
            int i = s.indexOf(":/");
            String full = i >= 0 ? s.substring(i + 1) : s;
            if (full.equals(want)) {
                found = true;
            } else {
                out.add(s);
            }
        }
        return found ? out : null;
    }

    /** dockerd's rmLink: {@code docker rm --link /parent/alias} drops the link from the parent. */
    static void remove(Engine e, String linkName) {
        String n = linkName.startsWith("/") ? linkName : "/" + linkName;
        int slash = n.lastIndexOf('/');
        if (slash <= 0) {
            throw BerthException.conflict("Conflict, cannot remove the default link name of the container");
        }
        String parentName = n.substring(0, slash);
        Container parent = e.index.find(parentName);
        if (parent == null) {
            throw BerthException.notFound("Cannot get parent %s for link name %s", parentName, n);
        }
        parent.locked(() -> {
            List<String> left = without(parent.rec.hostConfig.links(), n);
            if (left == null) {
                throw BerthException.notFound("No such container: %s", n);
            }
            parent.rec.hostConfig = HostConfigs.withLinks(parent.rec.hostConfig, left);
            e.store.save(parent.rec);
        });
    }
}
