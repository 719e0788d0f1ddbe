package io.passerelle.protocol;

/**
 * Size bounds a client frame must respect; see {@code passerelle.protocol.*} in the configuration reference.
 */
public record ProtocolLimits(int maxIdLength, int maxKeyBytes, int maxHeaders, int maxHeaderNameLength,
        int maxHeaderValueBytes, int maxDataBytes, int maxJsonDepth) {

    public static final ProtocolLimits DEFAULTS = new ProtocolLimits(128, 1024, 32, 128, 4096, 131072, 32);
}
