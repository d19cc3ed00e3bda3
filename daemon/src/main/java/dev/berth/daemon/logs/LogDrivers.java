package dev.berth.daemon.logs;

import dev.berth.common.BerthException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The log drivers Berth has and the check of their options, as dockerd's logger.ValidateLogOpts
 * does it when a container is created (and, for the daemon's default driver, when the daemon
 * starts): the options every driver takes ({@code mode}, {@code max-buffer-size}) first, then the
 * driver's own keys. Values the local driver parses itself are checked when the container starts,
 * as dockerd does. Stateless.
 */
public final class LogDrivers {
    /** Drivers with a reader ({@code json-file}, {@code local}) and {@code none}. */
    public static final Set<String> NAMES = Set.of("json-file", "local", "none");
    /** What {@code docker info} lists under Plugins/Log: dockerd lists its registered drivers, sorted, without none. */
    public static final List<String> LISTED = List.of("json-file", "local");
    private static final Set<String> LOCAL_KEYS = Set.of("max-file", "max-size", "compress");
    private static final List<String> BOOLS = List.of("1", "t", "T", "true", "TRUE", "True", "0", "f", "F", "false", "FALSE", "False");

    /** What go-units RAMInBytes accepts (the json-file driver's max-size). */
    private static final java.util.regex.Pattern RAM_IN_BYTES = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    private LogDrivers() {}

    /**
     * Checks {@code opts} for {@code driver} (a known one: callers check the name first, each with
     * its own message).
     *
     * @throws BerthException INVALID_ARGUMENT with dockerd's message
     */
    public static void validate(String driver, Map<String, String> opts) {
        if (opts == null || driver.equals("none")) {
            return; // dockerd checks nothing for none
        }
        String mode = opts.getOrDefault("mode", "");
        if (!mode.isEmpty() && !mode.equals("blocking") && !mode.equals("non-blocking")) {
            throw BerthException.invalid("logger: logging mode not supported: %s", mode);
        }
        if (opts.containsKey("max-buffer-size") && !mode.equals("non-blocking")) {
            throw BerthException.invalid("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
        }
        for (var e : opts.entrySet()) {
            String key = e.getKey();
            if (key.equals("mode") || key.equals("max-buffer-size")) {
                continue;
            }
            if (driver.equals("local")) {
                if (!LOCAL_KEYS.contains(key)) {
                    throw BerthException.invalid("unknown log opt '%s' for log driver local", key);
                }
                continue;
            }
            jsonFile(key, e.getValue());
        }
    }

    private static void jsonFile(String key, String value) {
        switch (key) {
            case "max-size" -> {
                if (!RAM_IN_BYTES.matcher(value.trim()).matches()) {
                    throw BerthException.invalid("invalid max-size: %s", value);
                }
            }
            case "max-file" -> {
                try {
                    if (Integer.parseInt(value) < 1) {
                        throw BerthException.invalid("max-file cannot be less than 1");
                    }
                } catch (NumberFormatException x) {
                    throw BerthException.invalid("invalid max-file: %s", value);
                }
            }
            case "compress" -> {
                if (!BOOLS.contains(value)) {
                    throw BerthException.invalid("error reading compress log option: strconv.ParseBool: parsing \"%s\": invalid syntax", value);
                }
            }
            case "labels-regex", "env-regex" -> {
                try {
                    java.util.regex.Pattern.compile(value);
                } catch (java.util.regex.PatternSyntaxException x) {
                    throw BerthException.invalid("invalid %s: %s", key, x.getDescription());
                }
            }
            case "labels", "env", "tag" -> { }
            default -> throw BerthException.invalid("unknown log opt '%s' for json-file log driver", key);
        }
    }
}
