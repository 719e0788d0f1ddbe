package io.passerelle.fanout;

import java.util.function.BiConsumer;

/**
 * What the fan-out tells the subscriber, on the thread that feeds the subscription, in stream order.
 *
 * @param subscribed runs once the subscription is in place, before its first event
 * @param failed runs when the subscription cannot be set up or a history read broke off; the flag says whether
 *        {@code subscribed} had already run
 */
public record SubscribeCallbacks(Runnable subscribed, BiConsumer<Throwable, Boolean> failed) {
}
