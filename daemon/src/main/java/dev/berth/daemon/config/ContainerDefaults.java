package dev.berth.daemon.config;

import dev.berth.api.model.HostConfig;
import java.util.List;

/**
 * Daemon-wide defaults for containers (dockerd's {@code --default-ulimit}, {@code --default-shm-size},
 * {@code --init}, {@code --seccomp-profile}, {@code --no-new-privileges}, {@code --default-cgroupns-mode}).
 * A container's own setting always wins. As in dockerd, the shm size and the cgroup namespace mode
 * are written into the container's HostConfig at create (so {@code docker inspect} shows them);
 * ulimits, init, seccomp and no-new-privileges are applied when the runtime spec is built, so a
 * daemon restart with other defaults changes existing containers at their next start. Immutable.
 *
 * @param ulimits merged under the container's own ulimits (a container's limit of the same name wins)
 * @param shmSize /dev/shm size in bytes for containers that set none (dockerd: 64 MiB)
 * @param init run an init process in containers whose {@code HostConfig.Init} is unset
 * @param seccompProfile null for the built-in profile, {@code "unconfined"}, or the JSON content of the daemon's profile file
 * @param noNewPrivileges the default of {@code --security-opt no-new-privileges}
 * @param cgroupnsMode "host" or "private" for containers that set none; null keeps Berth's default ("host")
 */
public record ContainerDefaults(List<HostConfig.Ulimit> ulimits, long shmSize, boolean init, String seccompProfile,
                                boolean noNewPrivileges, String cgroupnsMode) {
    public static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;
    public static final String UNCONFINED = "unconfined";

    public ContainerDefaults {
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        shmSize = shmSize <= 0 ? DEFAULT_SHM_SIZE : shmSize;
    }

    /** dockerd's defaults: no ulimits, 64 MiB shm, no init, built-in seccomp, new privileges allowed. */
    public static ContainerDefaults none() {
        return new ContainerDefaults(List.of(), DEFAULT_SHM_SIZE, false, null, false, null);
    }
}
