/**
 * The Engine API routers: one class per resource, each calling only its backend interface from
 * {@code dev.berth.api.backend}. {@link dev.berth.server.ApiServer} wires them onto the HTTP
 * server. Framing (raw vs multiplexed), progress-stream error handling, and API version
 * differences are decided here and nowhere else.
 */
package dev.berth.server;
