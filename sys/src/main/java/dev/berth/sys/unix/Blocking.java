package dev.berth.sys.unix;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a blocking native call. A virtual thread blocked inside a downcall holds its carrier (the
 * JDK only compensates for its own blocking I/O), and with few carriers a handful of attached
 * streams would stall every virtual thread. So from a virtual thread the call is handed to a
 * cached pool of daemon platform threads and the virtual thread parks on the result; platform
 * threads call directly. Pure utility, thread-safe.
 */
public final class Blocking {
    private static final ExecutorService PLATFORM = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "berth-native-io");
        t.setDaemon(true);
        return t;
    });

    private Blocking() {}

    @FunctionalInterface
    public interface IoCall<T> {
        T call() throws IOException;
    }

    public static <T> T call(IoCall<T> call) throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            return call.call();
        }
        Future<T> f = PLATFORM.submit(call::call);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c);
        }
    }
}
