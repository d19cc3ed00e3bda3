package dev.berth.daemon.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.backend.MessageSink;
import dev.berth.api.model.Event;
import dev.berth.common.Filters;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventBusTest {
    static final class ListSink implements MessageSink {
        final List<Event> events = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public void send(Object value) throws IOException {
            events.add((Event) value);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }
    }

    private static Event ev(String type, String action, String id, Map<String, String> attrs) {
        return new Event(null, null, null, type, action, new Event.Actor(id, attrs), "local", 0, 0);
    }

    private static boolean match(String filters, Event e) {
        return EventFilter.of(Filters.parse(filters)).test(e);
    }

    @Test
    void legacyFieldsForContainersAndImages() {
        EventBus bus = new EventBus();
        bus.publish("container", "start", "abc", Map.of("image", "busybox", "name", "c1"));
        bus.publish("volume", "create", "v1", Map.of("driver", "local"));
        List<Event> all = bus.recent(e -> true);
        assertThat(all.get(0).status()).isEqualTo("start");
        assertThat(all.get(0).id()).isEqualTo("abc");
        assertThat(all.get(0).from()).isEqualTo("busybox");
        assertThat(all.get(0).scope()).isEqualTo("local");
        assertThat(all.get(1).status()).isNull();
        assertThat(all.get(1).timeNano()).isGreaterThan(all.get(0).timeNano());
        assertThat(all.get(1).time()).isEqualTo(all.get(1).timeNano() / 1_000_000_000L);
    }

    @Test
    void filtersMatchAsDockerd() {
        Event start = ev("container", "start", "abcdef123", Map.of("name", "web", "image", "nginx:latest", "com.x", "1"));
        Event health = ev("container", "health_status: healthy", "abcdef123", Map.of("name", "web"));
        Event img = ev("image", "tag", "sha256:aaa", Map.of("name", "busybox:latest"));
        Event vol = ev("volume", "create", "data", Map.of("driver", "local"));
        assertThat(match("{\"type\":{\"container\":true}}", start)).isTrue();
        assertThat(match("{\"type\":[\"container\"]}", vol)).isFalse();
        assertThat(match("{\"event\":[\"start\"]}", start)).isTrue();
        assertThat(match("{\"event\":[\"stop\"]}", start)).isFalse();
        assertThat(match("{\"event\":[\"health_status\"]}", health)).isTrue();
        assertThat(match("{\"container\":[\"web\"]}", start)).isTrue();
        assertThat(match("{\"container\":[\"abc\"]}", start)).isTrue();
        assertThat(match("{\"container\":[\"web\"]}", vol)).isFalse();
        assertThat(match("{\"image\":[\"nginx\"]}", start)).isTrue();
        assertThat(match("{\"image\":[\"busybox\"]}", img)).isTrue();
        assertThat(match("{\"image\":[\"busybox\"]}", start)).isFalse();
        assertThat(match("{\"volume\":[\"data\"]}", vol)).isTrue();
        assertThat(match("{\"label\":[\"com.x=1\"]}", start)).isTrue();
        assertThat(match("{\"label\":[\"com.x=2\"]}", start)).isFalse();
        assertThat(match("{\"label\":[\"com.x\"]}", start)).isTrue();
        assertThatThrownBy(() -> EventFilter.of(Filters.parse("{\"bogus\":[\"x\"]}"))).hasMessageContaining("invalid filter 'bogus'");
    }

    @Test
    void sinceReplaysAndUntilInThePastEnds() throws Exception {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        EventBus bus = new EventBus(1000, clock);
        bus.publish("container", "create", "a", Map.of());
        now[0] = now[0].plusSeconds(10);
        bus.publish("container", "start", "a", Map.of());
        now[0] = now[0].plusSeconds(10);
        bus.publish("volume", "create", "v", Map.of());
        ListSink sink = new ListSink();
        double since = Instant.parse("2026-01-01T00:00:05Z").getEpochSecond();
        double until = Instant.parse("2026-01-01T00:00:15Z").getEpochSecond();
        bus.stream(since, until, Filters.NONE, sink);
        assertThat(sink.events).extracting(Event::action).containsExactly("start");
    }

    @Test
    void liveSubscribersReceiveFilteredEventsAndNeverBlockPublishers() throws Exception {
        EventBus bus = new EventBus();
        ListSink sink = new ListSink();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                bus.stream(0, 0, Filters.parse("{\"type\":[\"volume\"]}"), sink);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        while (bus.listenerCount() == 0) {
            Thread.sleep(5);
        }
        bus.publish("container", "start", "a", Map.of());
        bus.publish("volume", "create", "v", Map.of());
        for (int i = 0; i < 200 && sink.events.isEmpty(); i++) {
            Thread.sleep(10);
        }
        sink.closed = true;
        t.join(5000);
        assertThat(sink.events).extracting(Event::action).containsExactly("create");
        assertThat(bus.listenerCount()).isZero();

        // A subscriber that never reads overflows and is dropped; publishing stays fast.
        var stalled = bus.subscribe(e -> true, 0);
        long start = System.nanoTime();
        for (int i = 0; i < 5000; i++) {
            bus.publish("container", "start", "x" + i, Map.of());
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
        assertThat(stalled.overflowed()).isTrue();
        assertThat(bus.listenerCount()).isZero();
        assertThat(bus.recent(e -> true)).hasSize(EventBus.DEFAULT_CAPACITY);
    }
}
