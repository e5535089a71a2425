package dev.netmeta.sync;

import com.amazonaws.services.lambda.runtime.Context;

/** How long the current invocation may still run. */
@FunctionalInterface
public interface RemainingTime {

    /** Lambda's hard maximum, used when there is no Lambda context (a direct call). */
    long LAMBDA_MAX_MILLIS = 15 * 60 * 1000L;

    long millis();

    static RemainingTime of(Context context) {
        if (context == null) {
            long deadline = System.currentTimeMillis() + LAMBDA_MAX_MILLIS;
            return () -> deadline - System.currentTimeMillis();
        }
        return () -> context.getRemainingTimeInMillis();
    }
}
