package dev.berth.daemon.container;

import dev.berth.api.model.HostConfig;
import dev.berth.common.BerthException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a container's HostConfig before anything touches disk or kernel, with dockerd's
 * messages (daemon/daemon_unix.go verifyPlatformContainerResources, runconfig). Stateless and
 * thread-safe.
 */
public final class CreateValidator {
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    static final Set<String> LOG_DRIVERS = dev.berth.daemon.logs.LogDrivers.NAMES;
    private final int cpus;
    private final Set<String> runtimes;
    private final String defaultLogDriver;

    /**
     * @param cpus host CPU count (NanoCpus range)
     * @param runtimes known runtime names
     * @param defaultLogDriver the daemon's log driver, which checks the options of a container that names none
     */
    public CreateValidator(int cpus, Set<String> runtimes, String defaultLogDriver) {
        this.cpus = cpus;
        this.runtimes = runtimes;
        this.defaultLogDriver = defaultLogDriver == null || defaultLogDriver.isEmpty() ? "json-file" : defaultLogDriver;
    }

    public void validate(HostConfig hc, boolean hasHealthcheck) {
        validateResources(hc);
        validateRestartPolicy(hc.restartPolicy());
        if (hc.autoRemove() && hc.restartPolicy() != null && !RestartPolicy.isNone(hc.restartPolicy().name())) {
            throw BerthException.invalid("can't create 'AutoRemove' container with restart policy");
        }
        if (hc.runtime() != null && !hc.runtime().isEmpty() && !runtimes.contains(hc.runtime())) {
            throw BerthException.invalid("unknown or invalid runtime name: %s", hc.runtime());
        }
        if (hc.logConfig() != null && hc.logConfig().type() != null && !hc.logConfig().type().isEmpty()) {
            String t = hc.logConfig().type();
            if (!LOG_DRIVERS.contains(t)) {
                throw BerthException.invalid("failed to create logger: logger: no log driver named '%s' is registered", t);
            }
            validateLogOpts(t, hc.logConfig().config());
        } else if (hc.logConfig() != null) {
            // `--log-opt` without `--log-driver`: the CLI sends Type "" and the daemon's default driver checks them
            validateLogOpts(defaultLogDriver, hc.logConfig().config());
        }
        if (hc.securityOpt() != null) {
            SecurityOpts.parse(hc.securityOpt());
        }
        if (hc.shmSize() != null && hc.shmSize() < 0) {
            throw BerthException.invalid("SHM size can not be less than 0");
        }
        if (hc.oomScoreAdj() != null && (hc.oomScoreAdj() < -1000 || hc.oomScoreAdj() > 1000)) {
            throw BerthException.invalid("Invalid value %d, range for oom score adj is [-1000, 1000]", hc.oomScoreAdj());
        }
        String nm = hc.networkMode();
        if (nm != null && nm.startsWith("container:") && nm.length() == "container:".length()) {
            throw BerthException.invalid("Invalid network mode: invalid container format container:<name|id>");
        }
        validatePortBindings(hc.portBindings());
        if (hc.devices() != null) {
            for (HostConfig.DeviceMapping d : hc.devices()) {
                if (d.pathOnHost() == null || !java.nio.file.Files.exists(java.nio.file.Path.of(d.pathOnHost()))) {
                    throw BerthException.invalid("error gathering device information while adding custom device \"%s\": no such file or directory", d.pathOnHost());
                }
            }
        }
    }

    /** moby daemon/container.go validatePortBindings: container and host ports must parse (ranges allowed, host port may be empty). */
    static void validatePortBindings(Map<String, List<HostConfig.PortBinding>> ports) {
        if (ports == null) {
            return;
        }
        for (var e : ports.entrySet()) {
            String port = portPart(e.getKey());
            if (port.isEmpty() || !validPortRange(port)) {
                throw BerthException.invalid("invalid port specification: \"%s\"", port);
            }
            if (e.getValue() == null) {
                continue;
            }
            for (HostConfig.PortBinding pb : e.getValue()) {
                String hp = pb == null || pb.hostPort() == null ? "" : pb.hostPort();
                String p = portPart(hp);
                if (!p.isEmpty() && !validPortRange(p)) {
                    throw BerthException.invalid("invalid port specification: \"%s\"", hp);
                }
            }
        }
    }

    private static String portPart(String spec) {
        int slash = spec.indexOf('/');
        return slash < 0 ? spec : spec.substring(0, slash);
    }

    private static boolean validPortRange(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            return validPort(s);
        }
        return validPort(s.substring(0, dash)) && validPort(s.substring(dash + 1))
                && Integer.parseInt(s.substring(dash + 1)) >= Integer.parseInt(s.substring(0, dash));
    }

    private static boolean validPort(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Integer.parseInt(s) <= 65535;
    }

    /** The host's online NUMA memory nodes (sysfs), "0" when the kernel has no NUMA view. */
    static String memNodesOnline() {
        try {
            String v = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/node/online")).trim();
            return v.isEmpty() ? "0" : v;
        } catch (java.io.IOException | RuntimeException e) {
            return "0";
        }
    }

    /** The options of a log driver, with dockerd's messages (see {@link dev.berth.daemon.logs.LogDrivers#validate}). */
    static void validateLogOpts(String driver, Map<String, String> opts) {
        dev.berth.daemon.logs.LogDrivers.validate(driver, opts);
    }

    public static void validateRestartPolicy(HostConfig.RestartPolicy p) {
        if (p == null || p.name() == null || p.name().isEmpty()) {
            return;
        }
        switch (p.name()) {
            case "always", "unless-stopped", "no" -> {
                if (p.maximumRetryCount() != 0) {
                    String msg = "invalid restart policy: maximum retry count can only be used with 'on-failure'";
                    if (p.maximumRetryCount() < 0) {
                        msg += " and cannot be negative";
                    }
                    throw BerthException.invalid("%s", msg);
                }
            }
            case "on-failure" -> {
                if (p.maximumRetryCount() < 0) {
                    throw BerthException.invalid("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw BerthException.invalid(
                    "invalid restart policy: unknown policy '%s'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'", p.name());
        }
    }

    /** Resource checks shared by create and update. */
    public void validateResources(HostConfig hc) {
        long mem = nz(hc.memory());
        long swap = nz(hc.memorySwap());
        if (mem != 0 && mem < MIN_MEMORY) {
            throw BerthException.invalid("Minimum memory limit allowed is 6MB");
        }
        if (mem < 0) {
            throw BerthException.invalid("Minimum memory limit allowed is 6MB");
        }
        if (swap > 0 && mem == 0) {
            throw BerthException.invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (mem > 0 && swap > 0 && swap < mem) {
            throw BerthException.invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        long res = nz(hc.memoryReservation());
        if (res != 0 && res < MIN_MEMORY) {
            throw BerthException.invalid("Minimum memory reservation allowed is 6MB");
        }
        if (mem > 0 && res > 0 && mem < res) {
            throw BerthException.invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (hc.memorySwappiness() != null && hc.memorySwappiness() != -1 && (hc.memorySwappiness() < 0 || hc.memorySwappiness() > 100)) {
            throw BerthException.invalid("Invalid value: %d, valid memory swappiness range is 0-100", hc.memorySwappiness());
        }
        long nano = nz(hc.nanoCpus());
        if (nano != 0 && nz(hc.cpuPeriod()) != 0) {
            throw BerthException.invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nano != 0 && nz(hc.cpuQuota()) != 0) {
            throw BerthException.invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (nano < 0 || nano > cpus * 1_000_000_000L) {
            throw BerthException.invalid("Range of CPUs is from 0.01 to %d.00, as there are only %d CPUs available", cpus, cpus);
        }
        if (nano > 0 && nano < 10_000_000L) {
            throw BerthException.invalid("Range of CPUs is from 0.01 to %d.00, as there are only %d CPUs available", cpus, cpus);
        }
        long period = nz(hc.cpuPeriod());
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw BerthException.invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        long quota = nz(hc.cpuQuota());
        if (quota != 0 && quota < 1000) {
            throw BerthException.invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        if (nz(hc.cpuShares()) < 0) {
            throw BerthException.invalid("invalid CPU shares (%d): value must be a positive integer", hc.cpuShares());
        }
        int blkio = hc.blkioWeight() == null ? 0 : hc.blkioWeight();
        if (blkio > 0 && (blkio < 10 || blkio > 1000)) {
            throw BerthException.invalid("Range of blkio weight is from 10 to 1000");
        }
        if (hc.cpusetCpus() != null && !hc.cpusetCpus().isEmpty()) {
            List<Integer> want = CpuSet.parse(hc.cpusetCpus());
            if (want == null) {
                throw BerthException.invalid("Invalid value %s for cpuset cpus", hc.cpusetCpus());
            }
            for (int c : want) {
                if (c >= cpus) {
                    throw BerthException.invalid("Requested CPUs are not available - requested %s, available: %s",
                            hc.cpusetCpus(), cpus == 1 ? "0" : "0-" + (cpus - 1));
                }
            }
        }
        if (hc.cpusetMems() != null && !hc.cpusetMems().isEmpty()) {
            List<Integer> want = CpuSet.parse(hc.cpusetMems());
            if (want == null) {
                throw BerthException.invalid("Invalid value %s for cpuset mems", hc.cpusetMems());
            }
            String online = memNodesOnline();
            List<Integer> have = CpuSet.parse(online);
            for (int m : want) {
                if (have == null || !have.contains(m)) {
                    throw BerthException.invalid("Requested memory nodes are not available - requested %s, available: %s",
                            hc.cpusetMems(), online);
                }
            }
        }
        if (hc.ulimits() != null) {
            for (HostConfig.Ulimit u : hc.ulimits()) {
                if (u.soft() > u.hard() && u.hard() >= 0) {
                    throw BerthException.invalid("ulimit soft limit must be less than or equal to hard limit: %d > %d", u.soft(), u.hard());
                }
            }
        }
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    /** Parses cpuset lists such as {@code 0-2,4}. */
    static final class CpuSet {
        static List<Integer> parse(String s) {
            List<Integer> out = new java.util.ArrayList<>();
            try {
                for (String part : s.split(",")) {
                    int dash = part.indexOf('-');
                    if (dash < 0) {
                        out.add(Integer.parseInt(part.trim()));
                    } else {
                        int a = Integer.parseInt(part.substring(0, dash).trim());
                        int b = Integer.parseInt(part.substring(dash + 1).trim());
                        if (b < a) {
                            return null;
                        }
                        for (int i = a; i <= b; i++) {
                            out.add(i);
                        }
                    }
                }
            } catch (NumberFormatException e) {
                return null;
            }
            return out;
        }
    }
}
