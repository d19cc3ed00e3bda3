package dev.berth.logger;

/**
 * How a json-file log is bounded, from the {@code max-size}, {@code max-file} and {@code compress}
 * log options.
 *
 * @param maxSize  bytes after which the current file is rotated; 0 or less: never (Docker's unbounded
 *                 default, only when a user asks for it)
 * @param maxFiles files kept including the current one (Docker's {@code max-file}); 1 truncates the
 *                 file instead of rotating it
 * @param compress gzip rotated files ({@code <name>.1.gz}, …)
 */
public record RotationPolicy(long maxSize, int maxFiles, boolean compress) {
    public RotationPolicy {
        if (maxFiles < 1) {
            throw new IllegalArgumentException("max-file cannot be less than 1");
        }
    }

    public boolean bounded() {
        return maxSize > 0;
    }
}
