package dev.berth.distribution;

import dev.berth.common.Digest;

/**
 * @param digest the manifest digest the registry stored
 * @param size   manifest size in bytes
 * @param uploaded layers uploaded (not mounted, not already there)
 */
public record PushResult(Digest digest, long size, int uploaded) {}
