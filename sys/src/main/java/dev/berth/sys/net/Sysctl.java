package dev.berth.sys.net;

import java.util.Optional;

/**
 * Kernel parameters under /proc/sys, named as sysctl(8) does ({@code net.ipv4.ip_forward}).
 * Interface names in keys may not contain dots. Thread-safe.
 */
public interface Sysctl {
    /** The current value, or empty if the parameter does not exist (e.g. module not loaded). */
    Optional<String> read(String key);

    /** Sets a value; a missing parameter is an error. */
    void write(String key, String value);
}
