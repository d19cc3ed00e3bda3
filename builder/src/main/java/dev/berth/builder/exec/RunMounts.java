package dev.berth.builder.exec;

import dev.berth.builder.context.GoPath;
import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code RUN --mount} for builds that enable it (berth's own CLI; the docker CLI's classic builds
 * get dockerd's "requires BuildKit" error). Two types, with BuildKit's option names:
 * <ul>
 *   <li>{@code type=cache,target=<dir>[,id=<id>][,sharing=shared|private|locked][,readonly]}:
 *       a directory kept by the daemon between builds (keyed by id, default the target),
 *       not part of the image and not part of the cache key;</li>
 *   <li>{@code type=secret,id=<id>[,target=<file>][,required=true|false][,mode=…]}: the secret's
 *       bytes as a read-only file (default {@code /run/secrets/<id>}) for that RUN only, never in
 *       the image, history or cache key.</li>
 * </ul>
 *
 * @param secrets the build's secrets by id (from the client), or an empty map
 */
public record RunMounts(Map<String, byte[]> secrets) {
    public RunMounts {
        secrets = Map.copyOf(secrets);
    }

    /** Parses one {@code --mount} value. */
    BuildWorker.RunMount parse(String spec) {
        String type = "bind";
        String target = null;
        String id = null;
        boolean required = true;
        boolean readOnly = false;
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String k = (eq < 0 ? p : p.substring(0, eq)).toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : p.substring(eq + 1);
            switch (k) {
                case "type" -> type = v;
                case "target", "dst", "destination" -> target = v;
                case "id" -> id = v;
                case "required" -> required = v.isEmpty() || Boolean.parseBoolean(v);
                case "readonly", "ro" -> readOnly = v.isEmpty() || Boolean.parseBoolean(v);
                case "sharing", "mode", "uid", "gid", "src", "source", "from", "env" -> { }
                default -> throw BerthException.invalid("unexpected key '%s' in '%s'", k, p);
            }
        }
        switch (type) {
            case "cache" -> {
                if (target == null || target.isEmpty()) {
                    throw BerthException.invalid("mount type cache requires a target: %s", spec);
                }
                String t = GoPath.clean(target.startsWith("/") ? target : "/" + target);
                return new BuildWorker.RunMount.Cache(id == null || id.isEmpty() ? t : id, t, readOnly);
            }
            case "secret" -> {
                if (id == null || id.isEmpty()) {
                    if (target == null || target.isEmpty()) {
                        throw BerthException.invalid("mount type secret requires an id or a target: %s", spec);
                    }
                    id = target.substring(target.lastIndexOf('/') + 1);
                }
                String t = target == null || target.isEmpty() ? "/run/secrets/" + id : GoPath.clean(target);
                byte[] value = secrets.get(id);
                if (value == null) {
                    if (required) {
                        throw BerthException.invalid("secret %s: not found", id);
                    }
                    return null;
                }
                return new BuildWorker.RunMount.Secret(id, t, value);
            }
            default -> throw BerthException.invalid(
                    "RUN --mount type=%s is not supported by berth's classic builder (cache and secret are)", type);
        }
    }

    /** The parsed mounts of a RUN (optional secrets that are absent are left out). */
    List<BuildWorker.RunMount> parseAll(List<String> specs) {
        List<BuildWorker.RunMount> out = new ArrayList<>();
        for (String s : specs) {
            BuildWorker.RunMount m = parse(s);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }
}
