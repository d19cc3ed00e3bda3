package dev.berth.daemon.logs;

import dev.berth.logger.LogFileWriter;
import dev.berth.logger.LogMessage;
import dev.berth.runtime.RuntimeDriver;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Moves one container's output from the shim's spool into its log (json-file or local), each record once.
 *
 * <p>After a daemon restart the spool still holds records that were shipped before the crash:
 * shipping then resumes after the log's newest message (records older than it are skipped, and of
 * those stamped with the same time, as many as the log already has — conmon stamps all lines of one
 * read alike). Closing in between ({@link #close}: stopped containers keep no file open) needs no
 * such care: the spool remembers where it was. A new run of the container starts with a fresh spool
 * ({@link #newRun}).
 *
 * <p>Thread-safe: every method takes the shipper's monitor, so the background loop, readers that
 * sync before reading and lifecycle calls never interleave.
 */
final class LogShipper {
    private final String id;
    private final LogTarget target;
    private RuntimeDriver.OutputSpool spool;
    private LogFileWriter writer;
    /** True until the first writer is opened: the spool may hold records shipped before a restart. */
    private boolean mayResume = true;
    /** Where the log ended when this shipper last closed it (saves reading it back on reopen); null before. */
    private LogFileWriter.End knownEnd;
    private long resumeAfter = Long.MIN_VALUE;
    private int resumeSkip;

    LogShipper(String id, LogTarget target) {
        this.id = id;
        this.target = target;
    }

    LogTarget target() {
        return target;
    }

    String id() {
        return id;
    }

    /**
     * Ships what the spool holds now (a line the shim has only begun stays there until its end
     * comes). Returns whether anything was read.
     */
    synchronized boolean ship() throws IOException {
        return ship(false);
    }

    /** The container's output has ended: ships everything, a last line without its newline too. */
    synchronized boolean shipAll() throws IOException {
        return ship(true);
    }

    private boolean ship(boolean ended) throws IOException {
        if (spool == null) {
            spool = target.driver().openOutputSpool(target.spool());
        }
        if (writer == null && !target.discard()) {
            writer = LogFileWriter.open(target.log(), target.format(), target.policy(), target.attrs());
            if (knownEnd != null) {
                writer.assumeEnd(knownEnd);
            }
            if (mayResume) {
                LogFileWriter.End end = writer.end();
                resumeAfter = end.time();
                resumeSkip = end.count();
            }
        }
        mayResume = false;
        boolean progressed = ended ? spool.finish(this::accept) : spool.drain(this::accept);
        if (writer != null) {
            writer.flush();
        }
        return progressed;
    }

    private void accept(RuntimeDriver.LogEntry e) throws IOException {
        if (target.discard()) {
            return;
        }
        if (resumeAfter != Long.MIN_VALUE) {
            if (e.timeNanos() < resumeAfter || e.timeNanos() == resumeAfter && resumeSkip-- > 0) {
                return; // shipped before the daemon restarted
            }
            resumeAfter = Long.MIN_VALUE;
        }
        writer.write(new LogMessage(e.timeNanos(), e.stderr(), e.data()));
    }

    /**
     * A new run is about to start: ships the previous run's spool to its end, then deletes it so the
     * shim starts a fresh one (the previous shim has exited, so nothing more arrives there).
     */
    synchronized void newRun() throws IOException {
        if (Files.exists(target.spool())) {
            shipAll();
        }
        closeSpool();
        Files.deleteIfExists(target.spool());
        mayResume = false;
        resumeAfter = Long.MIN_VALUE;
    }

    private void closeSpool() throws IOException {
        if (spool != null) {
            spool.close();
            spool = null;
        }
    }

    /**
     * Releases the open files. A later {@link #ship} reopens them: the spool carries on where it
     * stopped, the log is appended to where it ended (known, so not read back).
     */
    synchronized void close() throws IOException {
        try {
            if (spool != null) {
                spool.close(); // kept: it remembers its position
            }
        } finally {
            if (writer != null) {
                knownEnd = writer.end();
                writer.close();
                writer = null;
            }
        }
    }
}
