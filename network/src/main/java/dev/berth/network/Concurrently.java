package dev.berth.network;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Runs two independent kernel steps at once (one on a virtual thread). Pure utility. */
final class Concurrently {
    private Concurrently() {}

    /**
     * Runs {@code side} on a virtual thread and {@code main} on the caller's thread, waits for
     * both, and rethrows the first failure (the other one suppressed) only after both ended, so
     * a caller's cleanup never races a step still running.
     */
    static void run(Runnable side, Runnable main) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread.ofVirtual().name("berth-net-step").start(() -> {
            try {
                side.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        RuntimeException failure = null;
        try {
            main.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        Throwable sideFailure = null;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the side step must end before we return: keep waiting
            } catch (ExecutionException e) {
                sideFailure = e.getCause();
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (sideFailure != null) {
            if (failure != null) {
                failure.addSuppressed(sideFailure);
            } else if (sideFailure instanceof RuntimeException re) {
                failure = re;
            } else if (sideFailure instanceof Error err) {
                throw err;
            } else {
                failure = new IllegalStateException(sideFailure);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
