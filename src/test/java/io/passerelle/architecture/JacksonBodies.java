package io.passerelle.architecture;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Records every class the gateway's {@link ObjectMapper} serialises by reflection (as a bean or record), on any
 * path: REST bodies, lifecycle events, anything else written with the application's mapper.
 */
@Singleton
public class JacksonBodies implements ObjectMapperCustomizer {

    private static final Set<Class<?>> WRITTEN = ConcurrentHashMap.newKeySet();

    static Set<Class<?>> written() {
        return Set.copyOf(WRITTEN);
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule recorder = new SimpleModule("passerelle-jackson-bodies");
        recorder.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
                    JsonSerializer<?> serializer) {
                if (serializer instanceof BeanSerializerBase) {
                    WRITTEN.add(description.getBeanClass());
                }
                return serializer;
            }
        });
        mapper.registerModule(recorder);
    }
}
