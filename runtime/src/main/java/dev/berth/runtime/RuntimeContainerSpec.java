package dev.berth.runtime;

import dev.berth.oci.Mount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the runtime needs to write a container's OCI {@code config.json}: the daemon
 * resolves API input and image defaults into this record, {@link OciSpecBuilder} turns it into
 * the spec. Values are final (defaults already applied by the daemon), except where noted.
 *
 * @param rootfs the directory where the root filesystem is (or will be) mounted
 * @param rootfsMounts the mounts that make up the root filesystem (overlay), performed by the driver before create
 * @param user the user as given ({@code name}, {@code uid}, {@code uid:gid}, {@code name:group}); resolved against the rootfs' /etc/passwd and /etc/group by the builder; "" for root
 * @param mounts extra mounts (binds, volumes, tmpfs, /etc/hosts etc.), destination set
 * @param netnsPath path of the network namespace to join; null for the host's (--network host)
 * @param init run catatonit as pid 1 (--init)
 * @param cgroupParent parent cgroup path, e.g. {@code /berth}; the container gets {@code <parent>/<id>}
 */
public record RuntimeContainerSpec(
        String id,
        Path rootfs,
        List<Mount> rootfsMounts,
        boolean readonlyRootfs,
        List<String> args,
        List<String> env,
        String cwd,
        String user,
        List<String> additionalGroups,
        String hostname,
        String domainname,
        boolean tty,
        List<Mount> mounts,
        Security security,
        String netnsPath,
        Namespaces namespaces,
        Resources resources,
        List<Ulimit> ulimits,
        Map<String, String> sysctls,
        List<Device> devices,
        long shmSizeBytes,
        boolean init,
        String cgroupParent,
        Map<String, String> annotations) {

    /**
     * @param privileged all capabilities in the host bounding set, no seccomp/masking, all devices
     * @param capAdd/capDrop names with or without {@code CAP_}, or ALL
     * @param seccomp DEFAULT (Docker's profile resolved per container), UNCONFINED, or CUSTOM with {@code seccompProfileJson}
     * @param maskedPaths/readonlyPaths null for Docker's defaults; empty to disable
     */
    public record Security(
            boolean privileged,
            List<String> capAdd,
            List<String> capDrop,
            SeccompMode seccomp,
            String seccompProfileJson,
            boolean noNewPrivileges,
            List<String> maskedPaths,
            List<String> readonlyPaths) {}

    public enum SeccompMode { DEFAULT, UNCONFINED, CUSTOM }

    /**
     * Namespace modes: null or "private" for a new namespace, "host" to share the host's, or a
     * path {@code /proc/<pid>/ns/<type>} to join another container's.
     *
     * @param uidMappings/gidMappings user namespace mappings (--userns-remap); empty for none
     */
    public record Namespaces(String pid, String ipc, String uts, String cgroup, List<IdMapping> uidMappings, List<IdMapping> gidMappings) {}

    public record IdMapping(long containerId, long hostId, long size) {}

    /** Null or 0 means unlimited/unset. memorySwap -1 means unlimited swap. */
    public record Resources(
            Long memory,
            Long memorySwap,
            Long memoryReservation,
            Long cpuShares,
            Long cpuQuota,
            Long cpuPeriod,
            String cpusetCpus,
            String cpusetMems,
            Long pidsLimit,
            Integer blkioWeight,
            Boolean oomKillDisable,
            Integer oomScoreAdj) {}

    public record Ulimit(String name, long soft, long hard) {}

    /** A host device made available: {@code --device /dev/x[:/dev/y[:rwm]]}. */
    public record Device(String pathOnHost, String pathInContainer, String permissions) {}
}
