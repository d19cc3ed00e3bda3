package dev.berth.daemon.events;

import dev.berth.api.backend.MessageSink;
import dev.berth.api.model.Event;
import dev.berth.common.Filters;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The daemon's event log: keeps the last {@value #DEFAULT_CAPACITY} events for {@code since}
 * replay and fans new ones out to live subscribers. Each subscriber has a bounded queue; a
 * publisher never blocks — a subscriber whose queue is full is marked overflowed and dropped
 * (its stream ends), as dockerd evicts stalled listeners. Replay and subscription happen
 * atomically, so a stream neither misses nor repeats an event. Thread-safe.
 */
public final class EventBus implements EventPublisher {
    public static final int DEFAULT_CAPACITY = 1000;
    private static final int SUBSCRIBER_QUEUE = 1024;
    private static final Set<String> LEGACY_TYPES = Set.of("container", "image");

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<Event> ring;
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
    private long lastNanos;

    public EventBus() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public EventBus(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
        this.ring = new ArrayDeque<>(capacity);
    }

    @Override
    public void publish(String type, String action, String actorId, Map<String, String> attributes) {
        Map<String, String> attrs = attributes == null ? Map.of() : Map.copyOf(attributes);
        synchronized (ring) {
            Instant now = clock.instant();
            long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            // Strictly increasing timestamps keep since/until replay well-ordered even within one clock tick.
            if (nanos <= lastNanos) {
                nanos = lastNanos + 1;
            }
            lastNanos = nanos;
            boolean legacy = LEGACY_TYPES.contains(type);
            Event ev = new Event(
                    legacy ? action : null,
                    legacy ? actorId : null,
                    "container".equals(type) ? attrs.get("image") : null,
                    type, action, new Event.Actor(actorId, attrs), "local",
                    Math.floorDiv(nanos, 1_000_000_000L), nanos);
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(ev);
            for (Subscription s : subscribers) {
                s.offer(ev);
            }
        }
    }

    /** Number of live subscribers (Docker's {@code NEventsListener}). */
    public int listenerCount() {
        return subscribers.size();
    }

    /**
     * Subscribes with a filter. Events already in the buffer at or after {@code sinceNanos}
     * (0 = none) are returned for replay; later events arrive on the subscription.
     */
    public Subscription subscribe(Predicate<Event> filter, long sinceNanos) {
        Subscription s = new Subscription(filter);
        synchronized (ring) {
            if (sinceNanos > 0) {
                for (Event ev : ring) {
                    if (ev.timeNano() >= sinceNanos && filter.test(ev)) {
                        s.replay.add(ev);
                    }
                }
            }
            subscribers.add(s);
        }
        return s;
    }

    /**
     * {@code GET /events}: replays from {@code since}, then streams live events until
     * {@code until} passes or the sink closes. since/until are Unix seconds (fractions allowed),
     * 0 for unset. An {@code until} in the past ends the stream after the replay. Blocks.
     */
    public void stream(double since, double until, Filters filters, MessageSink sink) throws IOException {
        EventFilter.check(filters);
        EventFilter filter = EventFilter.of(filters);
        long sinceNanos = toNanos(since);
        long untilNanos = toNanos(until);
        try (Subscription sub = subscribe(filter, sinceNanos)) {
            for (Event ev : sub.replay) {
                if (untilNanos > 0 && ev.timeNano() > untilNanos) {
                    return;
                }
                sink.send(ev);
            }
            while (!sink.isClosed() && !sub.overflowed) {
                long now = nowNanos();
                if (untilNanos > 0 && now >= untilNanos) {
                    return;
                }
                long waitMs = untilNanos > 0 ? Math.max(1, Math.min(1000, (untilNanos - now) / 1_000_000)) : 1000;
                Event ev;
                try {
                    ev = sub.queue.poll(waitMs, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (ev != null) {
                    if (untilNanos > 0 && ev.timeNano() > untilNanos) {
                        return;
                    }
                    sink.send(ev);
                }
            }
        }
    }

    /** Events currently in the buffer that match, oldest first (for tests and diagnostics). */
    public List<Event> recent(Predicate<Event> filter) {
        synchronized (ring) {
            return ring.stream().filter(filter).toList();
        }
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static long toNanos(double seconds) {
        if (seconds <= 0) {
            return 0;
        }
        long whole = (long) Math.floor(seconds);
        long frac = Math.round((seconds - whole) * 1e9);
        return whole * 1_000_000_000L + frac;
    }

    /** One live subscriber. Close it to unsubscribe. */
    public final class Subscription implements AutoCloseable {
        private final Predicate<Event> filter;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(SUBSCRIBER_QUEUE);
        final List<Event> replay = new ArrayList<>();
        private volatile boolean overflowed;

        private Subscription(Predicate<Event> filter) {
            this.filter = filter;
        }

        private void offer(Event ev) {
            if (!overflowed && filter.test(ev) && !queue.offer(ev)) {
                overflowed = true;
                subscribers.remove(this);
            }
        }

        /** Events buffered before the subscription that matched its since. */
        public List<Event> replay() {
            return List.copyOf(replay);
        }

        /** Next live event, or null after the timeout. */
        public Event poll(long timeout, TimeUnit unit) throws InterruptedException {
            return queue.poll(timeout, unit);
        }

        /** True when the subscriber fell too far behind and was dropped. */
        public boolean overflowed() {
            return overflowed;
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }
}
