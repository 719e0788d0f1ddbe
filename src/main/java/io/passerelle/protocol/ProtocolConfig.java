package io.passerelle.protocol;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounds on what a client frame may carry; the defaults are written here only.
 */
@ConfigMapping(prefix = "passerelle.protocol")
public interface ProtocolConfig {

    /** Longest request {@code id}, in characters. */
    @WithDefault("128")
    int maxIdLength();

    /** Longest record key, in UTF-8 bytes. */
    @WithDefault("1024")
    int maxKeyBytes();

    /** Most headers on one publish. */
    @WithDefault("32")
    int maxHeaders();

    /** Longest header name, in characters. */
    @WithDefault("128")
    int maxHeaderNameLength();

    /** Longest header value, in UTF-8 bytes. */
    @WithDefault("4096")
    int maxHeaderValueBytes();

    /** Most keys in one subscribe's {@code keys} filter. */
    @WithDefault("100")
    int maxFilterKeys();

    /** Largest {@code data} of a publish, in bytes of its JSON text. */
    @WithDefault("131072")
    int maxDataBytes();

    /** Deepest JSON nesting of a frame. */
    @WithDefault("32")
    int maxJsonDepth();
}
