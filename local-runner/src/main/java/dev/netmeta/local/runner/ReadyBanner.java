package dev.netmeta.local.runner;

import dev.netmeta.local.runner.http.ApiGatewayProxy;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import dev.netmeta.local.runner.manifest.RateExpression;
import dev.netmeta.local.runner.manifest.ServerlessManifest;
import dev.netmeta.local.runner.watch.BucketWatcher;

import dev.netmeta.load.RetentionDays;
import dev.netmeta.local.runner.samples.SampleData;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The start-up lines: what the manifest declares, where each server is, which event goes where, and the ready line. */
final class ReadyBanner {

    private ReadyBanner() {
    }

    /** What the manifest wires; {@code syncRate} (from {@code --sync-rate}, or null) replaces the scheduled function's rate. */
    static String describe(ServerlessManifest manifest, RateExpression syncRate) {
        List<String> parts = new ArrayList<>();
        FunctionDefinition scheduled = manifest.scheduled().orElse(null);
        for (FunctionDefinition f : manifest.functions().values()) {
            List<String> events = new ArrayList<>();
            f.schedules().forEach(s -> {
                String manifestRate = s.rate() == null ? "cron" : s.rate().toString();
                events.add("schedule " + (f == scheduled && syncRate != null
                        ? syncRate + " (--sync-rate; manifest: " + manifestRate + ")" : manifestRate));
            });
            f.s3Triggers().forEach(s -> events.add("s3 " + s.describeRules()));
            f.httpRoutes().forEach(h -> events.add(h.method() + " " + h.resource()));
            parts.add(f.key() + (events.isEmpty() ? "" : " (" + String.join(", ", events) + ")"));
        }
        return String.join(", ", parts);
    }

    /**
     * The search the runner offers for {@code samples} sample files ({@code --samples}): {@code host:google.com} where
     * they hold hosts (the second file, the Zeek dns.log, is the first that does), else {@code *}, every document —
     * the flows file alone has no host, and with {@code --samples 0} the data is the user's own; before, both offered
     * {@code host:google.com}, which found nothing.
     */
    static String sampleQuery(int samples) {
        return samples >= 2 ? "host:google.com" : "*";
    }

    /**
     * A search of the sample data ({@code query}: {@link #sampleQuery}) through the first GET route, as a shell command
     * that encodes the query itself (the line that says the samples are loaded suggests it), or null without a GET
     * route.
     */
    static String tryCommand(String baseUrl, List<ApiGatewayProxy.Route> routes, String query) {
        return routes.stream().filter(r -> r.route().methodMatches("GET")).findFirst()
                .map(r -> "curl -sG '" + baseUrl + r.route().resource() + "' --data-urlencode 'q=" + query + "'")
                .orElse(null);
    }

    /**
     * Why the ready line offers no search of the sample data, or null when it may: an index retention that runs at
     * start ({@code retention}, null when none) and the samples' last day before today − N. The retention's first run
     * deletes their indices, and the load skips their rows as expired, so the sample search finds nothing — on a
     * restart the ready line came before that run and offered it anyway. Decided from the samples' fixed days
     * ({@link SampleData}, the first {@code sampleFiles} files), not from a search: the retention runs in parallel with
     * the ready line, and what the index holds at that moment is not what it holds a second later.
     */
    static String samplesPastRetention(RetentionDays retention, int sampleFiles, LocalDate today) {
        if (retention == null || !retention.expired(SampleData.lastDay(sampleFiles), today)) {
            return null;
        }
        LocalDate first = SampleData.firstDay();
        LocalDate last = SampleData.lastDay(sampleFiles);
        return "no sample search to try: the sample data (" + first + (last.equals(first) ? "" : " to " + last)
                + ") is past INDEX_RETENTION_DAYS=" + retention.days() + ", whose run at start deletes its index;"
                + " load data of the last " + retention.days() + " days to search it";
    }

    /**
     * The servers, the event wiring (the sync's schedule, then each other scheduled function's, e.g. the index
     * retention's) and the ready line; {@code samplesOnTheirWay}: a sync runs at start and the bucket
     * watcher delivers what it copies, so sample files seeded at this start are on their way into the index (the
     * ready line then says so instead of offering a search that finds nothing yet: {@link Progress#ready});
     * {@code noSearch}: why no search finds the samples ({@link #samplesPastRetention}), or null.
     */
    static void print(Progress progress, Backends backends, String bucket, Path logs, String baseUrl, String schedule,
                      List<String> otherSchedules, BucketWatcher watcher, List<ApiGatewayProxy.Route> routes,
                      long startMillis, boolean samplesOnTheirWay, String noSearch, String query) {
        progress.line("  OpenSearch  " + backends.openSearch().description());
        progress.line("  S3          " + backends.s3().description() + ", bucket " + bucket);
        progress.line("  FTP         " + backends.ftp().description());
        progress.line("  logs        " + logs);
        if (schedule != null) {
            progress.line("  schedule    " + schedule + "; POST " + baseUrl + "/_local/sync runs it now");
        }
        for (String other : otherSchedules) {
            progress.line("  schedule    " + other);
        }
        if (watcher != null) {
            progress.line("  s3 events   new objects in " + bucket + " matching " + watcher.describe().get("rules").asText()
                    + " -> " + watcher.describe().get("function").asText() + " (bucket listed every second)");
        }
        for (ApiGatewayProxy.Route r : routes) {
            progress.line("  api         " + r.route().method() + " " + baseUrl + r.route().resource() + " -> " + r.function().key());
        }
        String search = routes.stream().filter(r -> r.route().methodMatches("GET")).findFirst()
                .map(r -> "curl '" + baseUrl + r.route().resource() + "?q=" + query + "'").orElse("");
        progress.ready(startMillis, search, baseUrl + "/_local/status", samplesOnTheirWay, noSearch);
    }
}
