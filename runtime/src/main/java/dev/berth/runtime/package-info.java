/**
 * Running containers: {@link dev.berth.runtime.OciSpecBuilder} turns a
 * {@link dev.berth.runtime.RuntimeContainerSpec} into an OCI {@code config.json} with Docker's
 * security defaults, and {@link dev.berth.runtime.ConmonRuntimeDriver} runs it with runc or crun
 * under conmon (the shim that lets containers outlive the daemon).
 * {@link dev.berth.runtime.RuntimeDetector} picks the runtime that actually works on the host.
 * Kernel effects go through {@code dev.berth.sys}.
 */
package dev.berth.runtime;
