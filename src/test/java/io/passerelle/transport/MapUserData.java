package io.passerelle.transport;

import java.util.Map;

import io.quarkus.websockets.next.UserData;

/** A socket's user data outside a running gateway, for the transport's pipeline tests. */
record MapUserData(Map<Object, Object> data) implements UserData {
    @Override
    @SuppressWarnings("unchecked")
    public <V> V get(TypedKey<V> key) {
        return (V) data.get(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V put(TypedKey<V> key, V value) {
        return (V) data.put(key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V remove(TypedKey<V> key) {
        return (V) data.remove(key);
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public void clear() {
        data.clear();
    }
}
