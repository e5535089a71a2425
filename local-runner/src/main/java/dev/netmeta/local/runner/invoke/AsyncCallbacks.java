package dev.netmeta.local.runner.invoke;

import java.util.function.Consumer;

/**
 * What the caller of an asynchronous invocation hears of it: {@code onStart} each time an attempt's handler is called
 * (not for an attempt that never gets a free slot before the runner stops), {@code onDone} the last attempt's result
 * (a failure only after every retry failed; nothing when the runner stops first).
 */
public record AsyncCallbacks(Runnable onStart, Consumer<InvocationResult> onDone) {

    public static final AsyncCallbacks NONE = new AsyncCallbacks(() -> { }, result -> { });
}
