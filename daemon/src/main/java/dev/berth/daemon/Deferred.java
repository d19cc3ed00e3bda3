package dev.berth.daemon;

import dev.berth.common.BerthException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A backend that becomes available later: calls block until the real implementation is ready
 * (at most the daemon's start-up, about a second), then delegate. This lets berthd listen
 * before the stores and drivers are built, so clients connecting early wait instead of failing.
 * If start-up fails, calls fail with UNAVAILABLE and the start-up error. Thread-safe.
 */
final class Deferred {
    private Deferred() {}

    static <T> T of(Class<T> type, CompletableFuture<T> target) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            switch (method.getName()) {
                case "toString" -> {
                    if (method.getParameterCount() == 0) {
                        return "deferred " + type.getSimpleName();
                    }
                }
                case "hashCode" -> {
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(self);
                    }
                }
                case "equals" -> {
                    if (method.getParameterCount() == 1) {
                        return self == args[0];
                    }
                }
                default -> { }
            }
            T real;
            try {
                real = target.get();
            } catch (ExecutionException e) {
                throw BerthException.unavailable("the daemon failed to start: %s", e.getCause().getMessage());
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return type.cast(proxy);
    }
}
