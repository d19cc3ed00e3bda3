package dev.berth.daemon.logs;

import dev.berth.logger.LogFormat;
import dev.berth.logger.RotationPolicy;
import dev.berth.runtime.RuntimeDriver;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where one container's output comes from and where it goes.
 *
 * @param driver  the runtime driver whose shim writes {@code spool}
 * @param spool   the shim's output spool ({@link RuntimeDriver.CreateRequest#outputSpool})
 * @param log     the current file of the log ({@code <id>-json.log}, or {@code local-logs/container.log}
 *                for the local driver, see {@link LogFormat#file}); unused when {@code discard}
 * @param format  the log driver's file format
 * @param policy  rotation of the log
 * @param attrs   extra attributes for every record ({@code labels}/{@code env} log options of json-file)
 * @param discard the {@code none} log driver: the spool is drained (so it stays small) and dropped
 * @param refusal why the driver refuses these options (dockerd checks the local driver's values
 *                only as the container starts, and fails the start: {@link LogShippers#starting}
 *                does); null when it accepts them
 */
public record LogTarget(RuntimeDriver driver, Path spool, Path log, LogFormat format, RotationPolicy policy,
                        Map<String, String> attrs, boolean discard, String refusal) {

    /** A json-file log (what every container had before there was a choice of format). */
    public LogTarget(RuntimeDriver driver, Path spool, Path log, RotationPolicy policy, Map<String, String> attrs, boolean discard) {
        this(driver, spool, log, LogFormat.JSON_FILE, policy, attrs, discard, null);
    }
}
