package dev.berth.logger;

import java.nio.file.Path;
import java.util.Map;

/**
 * The file-based log drivers Berth implements, each in dockerd's on-disk format: where the log
 * lives and how records are framed. {@link LogFileWriter} and {@link LogFileReader} do the rest
 * (rotation, compression, resume, tail, follow) the same way for both. Immutable.
 */
public enum LogFormat {
    /** {@code <containerdir>/<id>-json.log}: one JSON object per line. */
    JSON_FILE("json-file"),
    /** {@code <containerdir>/local-logs/container.log}: length-framed protobuf entries. */
    LOCAL("local");

    private final String driver;

    LogFormat(String driver) {
        this.driver = driver;
    }

    /** The driver's name, as {@code --log-driver} takes it. */
    public String driver() {
        return driver;
    }

    /** The format of a log driver; null for a driver without a file (none). */
    public static LogFormat ofDriver(String driver) {
        for (LogFormat f : values()) {
            if (f.driver.equals(driver)) {
                return f;
            }
        }
        return null;
    }

    /** The current file of a container's log, by dockerd's layout. */
    public Path file(Path containerDir, String id) {
        return switch (this) {
            case JSON_FILE -> containerDir.resolve(id + "-json.log");
            case LOCAL -> containerDir.resolve("local-logs").resolve("container.log");
        };
    }

    /**
     * A codec for one writer or reader.
     *
     * @param attrs attributes written into every record (json-file's {@code labels}/{@code env}
     *              options; dockerd 28's local driver has none, so they are ignored there)
     */
    RecordCodec codec(Map<String, String> attrs) {
        return switch (this) {
            case JSON_FILE -> new JsonLineCodec(attrs);
            case LOCAL -> new LocalEntryCodec();
        };
    }
}
