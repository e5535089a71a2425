package dev.netmeta.load;

import com.amazonaws.services.lambda.runtime.Context;

/** The invocation's clock. */
@FunctionalInterface
public interface Deadline {

    long remainingMillis();

    static Deadline of(Context context) {
        return context == null ? none() : context::getRemainingTimeInMillis;
    }

    static Deadline none() {
        return () -> Long.MAX_VALUE;
    }
}
