package dev.netmeta.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.api.ApiHandler;
import dev.netmeta.model.Fields;
import dev.netmeta.model.IndexNames;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * The latency half of the api benchmark, in a JVM of its own (started by {@link ApiBenchmark} with
 * {@link LambdaJvm}'s options): for each representative query, the handler (event → parameters → OpenSearch →
 * response body and log line) and the same search body sent straight to OpenSearch through opensearch-java's generic
 * client, interleaved. Prints one markdown row per query: p50/p99 of both sides and the p50 ratio.
 *
 * <p>Arguments: {@code <opensearch-uri> <index-prefix> <iterations> <warmup>}.
 */
public final class ApiLatencyWorker {

    private static final String SEARCH_PARAMS =
            "ignore_unavailable=true&allow_no_indices=true&allow_partial_search_results=false";

    /** One representative query: the API parameters and the equivalent raw OpenSearch request body. */
    private record BenchQuery(String name, Map<String, String> params, String directBody) {
    }

    private ApiLatencyWorker() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String prefix = args[1];
        int iterations = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        PrintStream out = System.out;
        // The handler writes one JSON log line per request (as on Lambda); here it goes to a null stream so the
        // rows stay readable. The line is still built and written.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        ApiHandler handler = new ApiHandler(Map.of("OPENSEARCH_URL", uri.toString(), "INDEX_PREFIX", prefix));
        OpenSearchGenericClient direct = new OpenSearchClient(ApacheHttpClient5TransportBuilder
                .builder(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()))
                .setMapper(new JacksonJsonpMapper()).build()).generic();
        String endpoint = "/" + IndexNames.alias(prefix) + "/_search?" + SEARCH_PARAMS; // what the api searches
        for (BenchQuery q : queries()) {
            checkSameHits(handler, direct, endpoint, q);
        }
        // Warm every query first, so the first measured query does not pay the JIT's work for all of them.
        for (BenchQuery q : queries()) {
            measure(handler, direct, endpoint, q, warmup, 0);
        }
        for (BenchQuery q : queries()) {
            double[][] t = measure(handler, direct, endpoint, q, warmup / 3, iterations);
            double hp50 = ApiBenchmark.percentile(t[0], 50);
            double dp50 = ApiBenchmark.percentile(t[1], 50);
            out.println(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.3f |", q.name(), hp50,
                    ApiBenchmark.percentile(t[0], 99), dp50, ApiBenchmark.percentile(t[1], 99), hp50 / dp50));
        }
        out.flush();
        System.exit(0);
    }

    private static List<BenchQuery> queries() {
        // The handler's sort: the default key (timestamp desc), then the provenance tiebreaker it appends to every
        // search (OpenSearchSearchBackend.TIEBREAKER), missing values last, unmapped indices typed like the mapping.
        String tiebreak = "\":{\"missing\":\"_last\",\"order\":\"asc\",\"unmapped_type\":";
        String sort = "\"sort\":[{\"timestamp\":{\"order\":\"desc\",\"unmapped_type\":\"date\"}},"
                + "{\"" + Fields.SOURCE_FILE + tiebreak + "\"keyword\"}},"
                + "{\"" + Fields.SOURCE_RECORD + tiebreak + "\"long\"}}]";
        String qs = "\"default_field\":\"host\",\"default_operator\":\"or\",\"allow_leading_wildcard\":false,"
                + "\"lenient\":false,\"analyze_wildcard\":false,\"max_determinized_states\":10000";
        List<BenchQuery> list = new ArrayList<>();
        list.add(new BenchQuery("fixture `srcIp:127.0.0.1 AND host:google.com`, size 50",
                Map.of("q", "srcIp:127.0.0.1 AND host:google.com"),
                "{\"size\":51,\"timeout\":\"10000ms\",\"query\":{\"query_string\":{\"query\":"
                        + "\"srcIp:127.0.0.1 AND host:google.com\"," + qs + "}}," + sort + "}"));
        list.add(new BenchQuery("CIDR + port range, size 50", Map.of("q", "srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]"),
                "{\"size\":51,\"timeout\":\"10000ms\",\"query\":{\"query_string\":{\"query\":"
                        + "\"srcIp:\\\"10.0.0.0/8\\\" AND dstPort:[0 TO 1023]\"," + qs + "}}," + sort + "}"));
        list.add(new BenchQuery("one day, all documents, size 50",
                Map.of("from", "2018-05-10T00:00:00Z", "to", "2018-05-11T00:00:00Z"),
                "{\"size\":51,\"timeout\":\"10000ms\",\"query\":{\"bool\":{\"must\":[{\"match_all\":{}}],\"filter\":["
                        + "{\"range\":{\"timestamp\":{\"format\":\"epoch_millis\",\"gte\":1525910400000,"
                        + "\"lt\":1525996800000}}}]}}," + sort + "}"));
        list.add(new BenchQuery("wildcard `host:mail.goo*`, size 1000", Map.of("q", "host:mail.goo*", "size", "1000"),
                "{\"size\":1001,\"timeout\":\"10000ms\",\"query\":{\"query_string\":{\"query\":\"host:mail.goo*\","
                        + qs + "}}," + sort + "}"));
        return list;
    }

    private static double[][] measure(ApiHandler handler, OpenSearchGenericClient direct, String endpoint, BenchQuery q,
                                      int warmup, int iterations) throws IOException {
        double[] h = new double[iterations];
        double[] d = new double[iterations];
        for (int i = -warmup; i < iterations; i++) {
            boolean handlerFirst = (i & 1) == 0;
            for (int side = 0; side < 2; side++) {
                boolean runHandler = (side == 0) == handlerFirst;
                long t0 = System.nanoTime();
                if (runHandler) {
                    APIGatewayProxyResponseEvent r = handler.handleRequest(event(q.params()), null);
                    if (r.getStatusCode() != 200 || r.getBody().isEmpty()) {
                        throw new IllegalStateException(q.name() + ": handler answered " + r.getStatusCode() + " "
                                + r.getBody());
                    }
                } else {
                    try (Response r = direct.execute(Requests.builder().method("POST").endpoint(endpoint)
                            .json(q.directBody()).build())) {
                        String body = r.getBody().map(b -> b.bodyAsString()).orElse("");
                        if (r.getStatus() != 200 || body.isEmpty()) {
                            throw new IllegalStateException(q.name() + ": OpenSearch answered " + r.getStatus() + " "
                                    + body);
                        }
                    }
                }
                long elapsed = System.nanoTime() - t0;
                if (i >= 0) {
                    (runHandler ? h : d)[i] = elapsed / 1e6;
                }
            }
        }
        return new double[][] {h, d};
    }

    /** The ratio only means something if both sides do the same work: same hits, in the same order. */
    private static void checkSameHits(ApiHandler handler, OpenSearchGenericClient direct, String endpoint, BenchQuery q)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> viaHandler = new ArrayList<>();
        json.readTree(handler.handleRequest(event(q.params()), null).getBody()).path("hits")
                .forEach(h -> viaHandler.add(h.path("id").asText()));
        List<String> viaDirect = new ArrayList<>();
        try (Response r = direct.execute(Requests.builder().method("POST")
                .endpoint(endpoint).json(q.directBody()).build())) {
            json.readTree(r.getBody().map(b -> b.bodyAsString()).orElse("{}")).path("hits").path("hits")
                    .forEach(h -> viaDirect.add(h.path("_id").asText()));
        }
        // the handler fetches one hit more than it returns (to know whether there is a next page)
        int extra = viaDirect.size() - viaHandler.size();
        if (viaHandler.isEmpty() || extra < 0 || extra > 1
                || !viaDirect.subList(0, viaHandler.size()).equals(viaHandler)) {
            throw new IllegalStateException(q.name() + ": the direct request does not return the handler's hits ("
                    + viaHandler.size() + " via the handler, " + viaDirect.size() + " direct)");
        }
    }

    private static APIGatewayProxyRequestEvent event(Map<String, String> params) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/metadata/search")
                .withResource("/metadata/search").withQueryStringParameters(params)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("bench"));
    }

}
