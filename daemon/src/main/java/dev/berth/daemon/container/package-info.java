/**
 * The container engine of berthd: {@link dev.berth.daemon.container.ContainerManager} implements
 * the container and exec backends on top of the image, runtime, network and volume services.
 *
 * <p>Parts: {@code ContainerStore} owns {@code <data-root>/containers} (one directory per container,
 * {@code config.v2.json} written atomically); {@code NameRegistry}/{@code ContainerIndex} do names and
 * lookups; {@code ContainerCreator} (with {@code CreateValidator}, {@code ConfigMerger},
 * {@code MountPlanner}, {@code HostConfigs}) validates everything before touching disk;
 * {@code ContainerLifecycle} is the state machine (start with undo, stop, kill, pause), with
 * {@code ExitMonitor} (exit handling, {@code RestartPolicy} back-off, auto-remove) and
 * {@code HealthMonitor}; {@code SpecAssembler} fills the runtime spec; {@code AttachService},
 * {@code ExecManager} and {@code StdioBridge} connect client streams; {@code LogsService},
 * {@code StatsService}, {@code ProcTop}, {@code ExportService} ({@code LayerView}) serve reads;
 * {@code Restorer} re-adopts containers after a daemon restart.
 *
 * <p>Concurrency: each container has a lock for state changes; waits (stop timeouts, exits) happen
 * outside it; blocking work runs on virtual threads. No process is spawned and no kernel state is
 * changed here: that is the runtime driver's, network's and volume service's job.
 */
package dev.berth.daemon.container;
