package dev.berth.http;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes arriving on the event loop, read by a blocking consumer (a request body or a hijacked
 * connection's input). Holds at most about {@link #HIGH_WATER} bytes: above it the connection
 * stops reading ({@link #isFull()}), and once the consumer drains below {@link #LOW_WATER} the
 * {@code resume} callback asks the event loop to read again. Thread-safe.
 */
final class BodyInputStream extends InputStream {
    static final int HIGH_WATER = 1 << 20;
    static final int LOW_WATER = 256 << 10;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final Runnable resume;
    private long queued;
    private boolean finished;
    private boolean discarding;
    private IOException failure;

    BodyInputStream(Runnable resume) {
        this.resume = resume;
    }

    /** Takes ownership of {@code buf}. Called on the event loop. */
    void offer(ByteBuf buf) {
        lock.lock();
        try {
            if (discarding || finished || !buf.isReadable()) {
                buf.release();
                return;
            }
            queue.add(buf);
            queued += buf.readableBytes();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No more bytes will come: readers see EOF after the queued ones. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection broke before the end: readers get {@code e} after the queued bytes. */
    void fail(IOException e) {
        lock.lock();
        try {
            if (!finished) {
                failure = e;
                finished = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isFinished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    boolean isFull() {
        lock.lock();
        try {
            return queued >= HIGH_WATER && !discarding;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean wake;
        int n;
        lock.lock();
        try {
            while (queue.isEmpty() && !finished && !discarding) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while reading the request body");
                }
            }
            if (queue.isEmpty()) {
                if (failure != null && !discarding) {
                    throw failure;
                }
                return -1;
            }
            boolean wasFull = queued >= LOW_WATER;
            ByteBuf head = queue.peek();
            n = Math.min(len, head.readableBytes());
            head.readBytes(b, off, n);
            if (!head.isReadable()) {
                queue.poll().release();
            }
            queued -= n;
            wake = wasFull && queued < LOW_WATER;
        } finally {
            lock.unlock();
        }
        if (wake) {
            resume.run();
        }
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queued);
        } finally {
            lock.unlock();
        }
    }

    /** Drops queued and future bytes (the consumer is done); reads return EOF. */
    @Override
    public void close() {
        lock.lock();
        try {
            discarding = true;
            queue.forEach(ByteBuf::release);
            queue.clear();
            queued = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        resume.run();
    }
}
