package dev.berth.server;

import java.lang.reflect.RecordComponent;
import java.util.Map;

/** Test helper: builds a record with zero values except for the named components. */
final class Records {
    private Records() {}

    static <T extends Record> T of(Class<T> type, Map<String, Object> values) {
        RecordComponent[] comps = type.getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
            Object v = values.get(comps[i].getName());
            if (v == null && types[i].isPrimitive()) {
                v = zero(types[i]);
            }
            args[i] = v;
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object zero(Class<?> t) {
        // separate returns: a nested ?: would promote every branch to double
        if (t == boolean.class) {
            return false;
        }
        if (t == long.class) {
            return 0L;
        }
        if (t == double.class) {
            return 0.0;
        }
        if (t == float.class) {
            return 0.0f;
        }
        return 0;
    }

    static <T extends Record> T of(Class<T> type) {
        return of(type, Map.of());
    }
}
