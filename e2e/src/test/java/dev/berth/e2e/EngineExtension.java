package dev.berth.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link Engine} per test JVM (kept in the root store, closed when the run ends) and
 * injects it into test constructors and methods.
 */
public final class EngineExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EngineExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        engine(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Engine.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return engine(e);
    }

    private static Engine engine(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("engine", k -> {
            try {
                return new Holder(new Engine());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Holder.class).engine;
    }

    /** Closes the engine when the root context closes. */
    private record Holder(Engine engine) implements AutoCloseable {
        @Override
        public void close() {
            engine.close();
        }
    }
}
