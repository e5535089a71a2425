package dev.netmeta.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.netmeta.api.ApiFactory;
import dev.netmeta.api.ApiHandler;
import java.time.Instant;
import java.util.Map;

/**
 * Runs in a fresh JVM whose class path is only {@code api-function.jar} plus this class: builds the handler the
 * way Lambda's init phase does, optionally runs the SnapStart priming, answers one request and a second one, and
 * prints one line of timings. Started by {@link ApiBenchmark}; depends on nothing but the api jar and the JDK.
 *
 * <p>Arguments: {@code <opensearch-url> <index-prefix> <plain|primed>}.
 */
public final class ApiColdStart {

    private ApiColdStart() {
    }

    public static void main(String[] args) {
        long jvmStart = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        long t0 = System.nanoTime();
        ApiFactory.Wiring wiring = ApiFactory.wire(Map.of("OPENSEARCH_URL", args[0], "INDEX_PREFIX", args[1]));
        ApiHandler handler = new ApiHandler(wiring);
        long t1 = System.nanoTime();
        boolean primed = false;
        if (args[2].equals("primed")) {
            primed = wiring.priming().prime();
        }
        long t2 = System.nanoTime();
        APIGatewayProxyResponseEvent first = handler.handleRequest(event(), null);
        long t3 = System.nanoTime();
        long firstResponseEpochMs = System.currentTimeMillis();
        APIGatewayProxyResponseEvent second = handler.handleRequest(event(), null);
        long t4 = System.nanoTime();
        System.err.println("COLDSTART {\"mode\":\"" + args[2] + "\",\"primedOk\":" + primed
                + ",\"status\":" + first.getStatusCode() + ",\"status2\":" + second.getStatusCode()
                + ",\"jvmStartEpochMs\":" + jvmStart + ",\"firstResponseEpochMs\":" + firstResponseEpochMs
                + ",\"initMs\":" + ms(t1 - t0) + ",\"primeMs\":" + ms(t2 - t1)
                + ",\"firstRequestMs\":" + ms(t3 - t2) + ",\"secondRequestMs\":" + ms(t4 - t3) + "}");
    }

    private static APIGatewayProxyRequestEvent event() {
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/metadata/search")
                .withResource("/metadata/search")
                .withQueryStringParameters(Map.of("q", "srcIp:127.0.0.1 AND host:google.com"))
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("cold"));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
