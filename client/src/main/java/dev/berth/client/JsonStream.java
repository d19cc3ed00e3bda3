package dev.berth.client;

import dev.berth.api.model.JsonMessage;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.function.Predicate;
import tools.jackson.databind.MappingIterator;

/** Reads a stream of concatenated JSON values (events, progress messages). Stateless utility. */
public final class JsonStream {
    private JsonStream() {}

    /** Calls {@code consumer} for each value until it returns false or the stream ends. */
    public static <T> void forEach(InputStream in, Class<T> type, Predicate<T> consumer) {
        try (MappingIterator<T> it = Json.mapper().readerFor(type).readValues(in)) {
            while (it.hasNextValue()) {
                if (!consumer.test(it.nextValue())) {
                    return;
                }
            }
        }
    }

    /**
     * Reads a progress stream, handing each message to {@code sink}; an in-band error
     * ({@code errorDetail}) becomes a BerthException after the sink saw the earlier messages.
     */
    public static void progress(InputStream in, Consumer<JsonMessage> sink) {
        String[] error = {null};
        forEach(in, JsonMessage.class, m -> {
            if (m.error() != null || m.errorDetail() != null) {
                error[0] = m.errorDetail() != null && m.errorDetail().message() != null ? m.errorDetail().message() : m.error();
                return false;
            }
            sink.accept(m);
            return true;
        });
        if (error[0] != null) {
            throw new BerthException(ErrorKind.INTERNAL, error[0]);
        }
    }
}
