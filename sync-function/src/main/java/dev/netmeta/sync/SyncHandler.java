package dev.netmeta.sync;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Lambda entry point. A schedule tick runs the sync; a {@code netmeta.sync.copy-file} event (the function's own
 * asynchronous fan-out) copies one file. Returns the run's summary.
 */
public final class SyncHandler implements RequestHandler<ScheduledEvent, SyncSummary> {

    private final SyncService service;

    public SyncHandler() {
        this(System.getenv());
    }

    public SyncHandler(Map<String, String> env) {
        this(SyncFactory.create(env));
    }

    public SyncHandler(SyncService service) {
        this.service = service;
    }

    @Override
    public SyncSummary handleRequest(ScheduledEvent event, Context context) {
        RemainingTime remaining = RemainingTime.of(context);
        Optional<CopyFileRequest> copy;
        try {
            copy = event == null ? Optional.empty() : CopyFileRequest.from(event.getDetailType(), event.getDetail());
        } catch (InvalidCopyFileRequestException e) {
            Object path = event.getDetail() == null ? null : event.getDetail().get("path");
            return service.rejectCopyFile(path instanceof String s ? s : null, e.getMessage());
        }
        return copy.isPresent() ? service.copyFile(copy.get(), remaining) : service.runScheduled(remaining);
    }
}
