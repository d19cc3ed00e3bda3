/**
 * Container log drivers (Docker's {@code daemon/logger}) that keep the log in files, in dockerd's
 * on-disk formats ({@link dev.berth.logger.LogFormat}): {@code json-file} — one JSON object per
 * line ({@code {"log":…,"stream":…,"time":…}}) — and {@code local} — length-framed protobuf
 * entries. Both are rotated at {@code max-size} into at most {@code max-file} files, older ones
 * optionally gzip'd, by one writer ({@link dev.berth.logger.LogFileWriter}), and served to
 * {@code docker logs} (history, tail, follow across rotation) by one reader
 * ({@link dev.berth.logger.LogFileReader}); what differs is the framing behind the sealed
 * {@code RecordCodec}. Knows nothing of containers or runtimes: the daemon feeds it
 * {@link dev.berth.logger.LogMessage}s.
 */
package dev.berth.logger;
