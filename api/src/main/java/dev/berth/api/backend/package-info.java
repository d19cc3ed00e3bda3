/**
 * The narrow interfaces the routers call. The daemon implements them; the server module sees only
 * these. All methods may block (routers call them on virtual threads, never on an event loop) and
 * report failures as {@link dev.berth.common.BerthException} with the right kind. Implementations
 * must be thread-safe.
 */
package dev.berth.api.backend;
