package dev.berth.daemon.logs;

import dev.berth.logger.RotationPolicy;
import dev.berth.runtime.RuntimeDriver;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where one container's output comes from and where it goes.
 *
 * @param driver  the runtime driver whose shim writes {@code spool}
 * @param spool   the shim's output spool ({@link RuntimeDriver.CreateRequest#outputSpool})
 * @param log     the json-file log ({@code <id>-json.log}); unused when {@code discard}
 * @param policy  rotation of the json-file log
 * @param attrs   extra attributes for every line ({@code labels}/{@code env} log options)
 * @param discard the {@code none} log driver: the spool is drained (so it stays small) and dropped
 */
public record LogTarget(RuntimeDriver driver, Path spool, Path log, RotationPolicy policy, Map<String, String> attrs, boolean discard) {}
