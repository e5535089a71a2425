package dev.netmeta.load;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Map;

/**
 * Lambda entry point of {@code retention}, on a schedule: deletes the daily indices past
 * {@code INDEX_RETENTION_DAYS} ({@link IndexRetention}) and returns what it did. Fails the invocation when an
 * expired index could not be deleted (after trying the others).
 */
public final class RetentionHandler implements RequestHandler<ScheduledEvent, RetentionSummary> {

    private final IndexRetention service;

    public RetentionHandler() {
        this(System.getenv());
    }

    public RetentionHandler(Map<String, String> env) {
        this(RetentionFactory.create(env));
    }

    public RetentionHandler(IndexRetention service) {
        this.service = service;
    }

    @Override
    public RetentionSummary handleRequest(ScheduledEvent event, Context context) {
        return service.run(Deadline.of(context));
    }
}
