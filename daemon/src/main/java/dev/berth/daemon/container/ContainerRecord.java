package dev.berth.daemon.container;

import dev.berth.api.model.ContainerConfig;
import dev.berth.api.model.HostConfig;
import dev.berth.api.model.NetworkingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What Berth persists about one container in {@code <data-root>/containers/<id>/config.v2.json}.
 * Our own schema (not dockerd's), written whole and atomically by {@link ContainerStore}.
 * Mutable on purpose: it is only changed while holding the owning {@link Container}'s lock, and a
 * copy is never shared outside that lock except through {@link ContainerStore#save} (which
 * serializes it).
 */
public final class ContainerRecord {
    public String id;
    /** With the leading slash, as Docker stores names. */
    public String name;
    /** RFC 3339 with nanoseconds. */
    public String created;
    /** The image id ({@code sha256:…}). */
    public String imageId;
    public ContainerConfig config;
    public HostConfig hostConfig;
    public NetworkingConfig networkingConfig;
    public String path;
    public List<String> args = new ArrayList<>();
    public String runtime;
    public String platform = "linux";
    public StateRecord state = new StateRecord();
    public int restartCount;
    public boolean hasBeenStartedBefore;
    public boolean hasBeenManuallyStopped;
    public List<PlannedMount> mounts = new ArrayList<>();
    public String logPath;
    public String hostnamePath;
    public String hostsPath;
    public String resolvConfPath;
    /** Last known sandbox id (for inspect); null when never started. */
    public String sandboxId;

    /** The state part, as in Docker's {@code State}. */
    public static final class StateRecord {
        public boolean running;
        public boolean paused;
        public boolean restarting;
        public boolean oomKilled;
        public boolean dead;
        public boolean removalInProgress;
        public int pid;
        public int exitCode;
        public String error = "";
        /** RFC 3339; {@link Times#ZERO} when never. */
        public String startedAt = Times.ZERO;
        public String finishedAt = Times.ZERO;
        /** Null when the container has no healthcheck. */
        public HealthRecord health;
    }

    /** Health as Docker keeps it; {@code log} holds the last five probe results. */
    public static final class HealthRecord {
        public String status = "starting";
        public int failingStreak;
        public List<dev.berth.api.model.ContainerState.HealthcheckResult> log = new ArrayList<>();
    }

    /** Short display name without the slash. */
    public String shortName() {
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
