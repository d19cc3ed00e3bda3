package dev.berth.logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens a file of a log set, transparently gunzipping rotated {@code .gz} files. Stateless. */
final class LogReaders {
    private LogReaders() {}

    static InputStream open(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        return p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 65536) : new BufferedInputStream(in, 65536);
    }
}
