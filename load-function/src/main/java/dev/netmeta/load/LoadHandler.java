package dev.netmeta.load;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import java.util.Map;

/** Lambda entry point for {@code s3:ObjectCreated:*}: loads every object of the notification. */
public final class LoadHandler implements RequestHandler<S3Event, String> {

    private final LoadService service;

    public LoadHandler() {
        this(System.getenv());
    }

    public LoadHandler(Map<String, String> env) {
        this(LoadFactory.create(env));
    }

    public LoadHandler(LoadService service) {
        this.service = service;
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        return LoadSummary.of(service.load(event, Deadline.of(context)));
    }
}
