package dev.berth.logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * How one log driver frames its records in a file — the only thing that differs between the
 * {@code json-file} and {@code local} drivers; rotation, compression, resume and following live
 * once in {@link LogFileWriter} and {@link LogFileReader}.
 *
 * <p>Terms: a <em>record</em> is one encoded {@link LogMessage}; a <em>boundary</em> is an offset
 * where a record starts (or the file ends cleanly). A source read through {@link ReadAt} may end
 * in a torn record (a crash mid-write, or a write still in progress), which the scans stop
 * before.
 *
 * <p>Lifecycle and thread-safety: {@link LogFormat#codec} makes one codec per writer or reader.
 * A codec may keep encoder state (the local driver numbers the chunks of a long line), so it is
 * confined to its owner's thread. The scans and {@link #splitter} are stateless with respect to
 * the codec.
 */
sealed interface RecordCodec permits JsonLineCodec, LocalEntryCodec {

    /** Reads bytes at a position: a file channel, or a decompressed file in memory. */
    @FunctionalInterface
    interface ReadAt {
        int read(ByteBuffer into, long position) throws IOException;
    }

    /** Receives decoded messages in file order; may throw to end a read. */
    @FunctionalInterface
    interface Sink {
        void accept(LogMessage m) throws IOException;
    }

    /** Cuts a stream of file bytes into records; a record still incomplete stays pending. */
    interface Splitter {
        void feed(byte[] b, int n) throws IOException;

        /** A file ended: a pending incomplete record in it is torn, never completed by the next file. */
        void endOfFile();
    }

    /** Appends one record for {@code m} to {@code out}. */
    void encode(LogMessage m, ByteArrayOutputStream out);

    /**
     * The boundary after the last complete record of {@code src[0, size)}; 0 when there is none.
     * What lies beyond is torn (the writer truncates it when it opens the file).
     */
    long completeEnd(ReadAt src, long size) throws IOException;

    /**
     * Where the last {@code need[0]} records before {@code end} (a boundary) start, scanning
     * backwards; {@code need[0]} is reduced by the records found (it stays above 0 when the source
     * has fewer, and the result is then where the scan stopped: 0 for an intact source).
     */
    long startOfLast(ReadAt src, long end, long[] need) throws IOException;

    /** A splitter that hands complete, decodable records to {@code sink} (undecodable ones are skipped). */
    Splitter splitter(Sink sink);

    /**
     * The writer reopened a log whose newest record is {@code last}: an encoder that numbers the
     * parts of a long line continues the open one. Null for an empty log.
     */
    default void continueAfter(LogMessage last) { }
}
