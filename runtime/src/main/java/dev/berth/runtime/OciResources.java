package dev.berth.runtime;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import tools.jackson.databind.node.ObjectNode;

/** The cgroup limits part of the OCI spec ({@code linux.resources}), shared by create and update. Pure utility. */
final class OciResources {
    private OciResources() {}

    /**
     * Writes memory/cpu/pids/blockIO limits into an OCI {@code linux.resources} object (also the
     * input of {@code runc update -r}). Zero or null means unset.
     */
    static void apply(ObjectNode res, RuntimeContainerSpec.Resources r, HostInfo host) {
        if (r == null) {
            return;
        }
        ObjectNode mem = Json.mapper().createObjectNode();
        if (pos(r.memory())) {
            mem.put("limit", r.memory());
        }
        if (pos(r.memoryReservation())) {
            mem.put("reservation", r.memoryReservation());
        }
        if (r.memorySwap() != null && r.memorySwap() != 0 && host.swapAccounting()) {
            if (r.memorySwap() > 0 && pos(r.memory()) && r.memorySwap() < r.memory()) {
                throw BerthException.invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
            }
            mem.put("swap", r.memorySwap());
        }
        if (Boolean.TRUE.equals(r.oomKillDisable())) {
            mem.put("disableOOMKiller", true);
        }
        if (!mem.isEmpty()) {
            res.set("memory", mem);
        }
        ObjectNode cpu = Json.mapper().createObjectNode();
        if (pos(r.cpuShares())) {
            cpu.put("shares", r.cpuShares());
        }
        if (r.cpuQuota() != null && r.cpuQuota() != 0) {
            cpu.put("quota", r.cpuQuota());
        }
        if (pos(r.cpuPeriod())) {
            cpu.put("period", r.cpuPeriod());
        }
        if (r.cpusetCpus() != null && !r.cpusetCpus().isEmpty()) {
            cpu.put("cpus", r.cpusetCpus());
        }
        if (r.cpusetMems() != null && !r.cpusetMems().isEmpty()) {
            cpu.put("mems", r.cpusetMems());
        }
        if (!cpu.isEmpty()) {
            res.set("cpu", cpu);
        }
        if (r.pidsLimit() != null && r.pidsLimit() != 0) {
            res.putObject("pids").put("limit", r.pidsLimit() < 0 ? -1 : r.pidsLimit());
        }
        if (r.blkioWeight() != null && r.blkioWeight() != 0) {
            if (r.blkioWeight() < 10 || r.blkioWeight() > 1000) {
                throw BerthException.invalid("Range of blkio weight is from 10 to 1000");
            }
            if (!host.blkioWeight()) {
                throw BerthException.invalid("Your kernel does not support Block I/O weight or the cgroup is not mounted.  --blkio-weight cannot be applied on this host");
            }
            res.putObject("blockIO").put("weight", r.blkioWeight());
        }
    }

    private static boolean pos(Long v) {
        return v != null && v > 0;
    }
}
