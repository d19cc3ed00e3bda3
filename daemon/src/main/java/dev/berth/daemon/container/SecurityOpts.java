package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.runtime.RuntimeContainerSpec.SeccompMode;
import java.util.List;

/**
 * {@code HostConfig.SecurityOpt} parsed: {@code seccomp=unconfined|<profile JSON>} (the CLI sends
 * the file's content), {@code no-new-privileges[=|:true|false]}, {@code systempaths=unconfined};
 * {@code label=…} and {@code apparmor=…} are accepted and ignored (no SELinux/AppArmor here).
 */
public record SecurityOpts(SeccompMode seccomp, String seccompProfile, boolean noNewPrivileges, boolean systemPathsUnconfined) {

    public static SecurityOpts parse(List<String> opts) {
        return parse(opts, false);
    }

    /**
     * @param defaultNoNewPrivileges the daemon's {@code --no-new-privileges}; an explicit
     *        {@code no-new-privileges=false} of the container still wins, as in dockerd
     */
    public static SecurityOpts parse(List<String> opts, boolean defaultNoNewPrivileges) {
        SeccompMode mode = SeccompMode.DEFAULT;
        String profile = null;
        boolean nnp = defaultNoNewPrivileges;
        boolean sysUnconfined = false;
        if (opts != null) {
            for (String opt : opts) {
                if (opt.equals("no-new-privileges")) {
                    nnp = true;
                    continue;
                }
                int eq = opt.indexOf('=');
                int colon = opt.indexOf(':');
                int sep = eq < 0 ? colon : (colon < 0 ? eq : Math.min(eq, colon));
                if (sep < 0) {
                    throw BerthException.invalid("invalid --security-opt 1: %s", quote(opt));
                }
                String key = opt.substring(0, sep);
                String val = opt.substring(sep + 1);
                switch (key) {
                    case "seccomp" -> {
                        if (val.equals("unconfined")) {
                            mode = SeccompMode.UNCONFINED;
                        } else if (val.isBlank()) {
                            throw BerthException.invalid("invalid --security-opt 2: %s", quote(opt));
                        } else {
                            mode = SeccompMode.CUSTOM;
                            profile = val;
                        }
                    }
                    case "no-new-privileges" -> {
                        if (!val.equals("true") && !val.equals("false")) {
                            throw BerthException.invalid("invalid --security-opt 2: %s", quote(opt));
                        }
                        nnp = Boolean.parseBoolean(val);
                    }
                    case "systempaths" -> {
                        if (!val.equals("unconfined")) {
                            throw BerthException.invalid("invalid --security-opt 2: %s", quote(opt));
                        }
                        sysUnconfined = true;
                    }
                    case "label", "apparmor" -> { }
                    default -> throw BerthException.invalid("invalid --security-opt 2: %s", quote(opt));
                }
            }
        }
        return new SecurityOpts(mode, profile, nnp, sysUnconfined);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
