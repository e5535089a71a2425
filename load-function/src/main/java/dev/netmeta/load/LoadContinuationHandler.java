package dev.netmeta.load;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;

/** Lambda entry point of {@code loadContinue}: carries on with a file whose earlier invocation ran out of time. */
public final class LoadContinuationHandler implements RequestHandler<LoadContinuation, String> {

    private final LoadService service;

    public LoadContinuationHandler() {
        this(System.getenv());
    }

    public LoadContinuationHandler(Map<String, String> env) {
        this(LoadFactory.create(env));
    }

    public LoadContinuationHandler(LoadService service) {
        this.service = service;
    }

    @Override
    public String handleRequest(LoadContinuation continuation, Context context) {
        return LoadSummary.of(List.of(service.resume(continuation, Deadline.of(context))));
    }
}
