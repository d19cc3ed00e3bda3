package dev.berth.api.backend;

/** The streams of Docker's multiplexed framing; the ordinal is the frame's stream byte. */
public enum StdStream {
    STDIN, STDOUT, STDERR, SYSTEMERR
}
