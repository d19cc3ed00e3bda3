/**
 * Container log drivers (Docker's {@code daemon/logger}): today the {@code json-file} driver —
 * Docker's on-disk format, one JSON object per line ({@code {"log":…,"stream":…,"time":…}}),
 * rotated at {@code max-size} into at most {@code max-file} files, older ones optionally gzip'd —
 * and the reader that serves {@code docker logs} from those files (history, tail, follow across
 * rotation). Knows nothing of containers or runtimes: the daemon feeds it {@link
 * dev.berth.logger.LogMessage}s.
 */
package dev.berth.logger;
