package dev.netmeta.load;

import dev.netmeta.load.aws.AwsClients;
import dev.netmeta.load.aws.LambdaContinuationScheduler;
import dev.netmeta.load.aws.S3ObjectSource;
import dev.netmeta.load.aws.S3RejectWriter;
import dev.netmeta.load.aws.S3ReportStore;
import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.OpenSearchBulkTransport;
import dev.netmeta.load.index.OpenSearchConnection;
import dev.netmeta.load.index.OpenSearchIndexTemplates;
import dev.netmeta.load.index.OpenSearchStaleDocuments;
import dev.netmeta.model.Env;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Wires the load function from its environment, once per container. */
public final class LoadFactory {

    private LoadFactory() {
    }

    public static LoadService create(Map<String, String> environment) {
        return create(environment, Clock.systemUTC());
    }

    /**
     * As {@link #create(Map)}, with the clock the load reads the time and today's date from (the retention's oldest
     * day kept): a test anchors it so that a midnight (UTC) while it runs does not move that day.
     */
    public static LoadService create(Map<String, String> environment, Clock clock) {
        Env env = new Env(environment);
        LoadSettings settings = LoadSettings.from(env);
        SdkHttpClient http = AwsClients.httpClient();
        S3Client s3 = AwsClients.s3(env, http);
        // requests to OpenSearch end well within the time margin, so a stuck one cannot hold the invocation
        Duration openSearchTimeout = OpenSearchConnection.requestTimeout(settings.timeMarginMillis());
        OpenSearchGenericClient openSearch = OpenSearchConnection.generic(OpenSearchConnection.transport(
                env, AwsClients.httpClient(openSearchTimeout), AwsClients.region(env), AwsClients.credentials(env),
                openSearchTimeout));
        OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(new OpenSearchBulkTransport(openSearch),
                settings.bulkMaxDocs(), settings.bulkMaxBytes(), settings.bulkConcurrency(),
                Backoff.standard(settings.bulkMaxAttempts()));
        LoadLog log = new LoadLog(System.out);
        return new LoadService(settings, new S3ObjectSource(s3, log), indexer,
                new S3RejectWriter(s3, settings.rejectsPrefix()), new S3ReportStore(s3, settings.reportsPrefix()),
                continuations(env, http), new OpenSearchIndexTemplates(openSearch, settings.indexPrefix()),
                new OpenSearchStaleDocuments(openSearch, settings.indexPrefix(),
                        Backoff.standard(settings.bulkMaxAttempts())),
                log, clock);
    }

    private static ContinuationScheduler continuations(Env env, SdkHttpClient http) {
        String function = env.get("CONTINUATION_FUNCTION_NAME", null);
        if (function == null) {
            return continuation -> {
                throw new IllegalStateException("CONTINUATION_FUNCTION_NAME is not set");
            };
        }
        return new LambdaContinuationScheduler(AwsClients.lambda(env, http), function);
    }
}
