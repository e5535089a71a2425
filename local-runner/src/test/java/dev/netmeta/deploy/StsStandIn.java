package dev.netmeta.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Answers STS {@code GetCallerIdentity} on 127.0.0.1 so that {@code ${aws:accountId}} in serverless.yml resolves
 * without AWS (osls' AWS SDK honours {@code AWS_ENDPOINT_URL_STS}). Any other STS action is refused with 400.
 */
final class StsStandIn implements AutoCloseable {

    static final String ACCOUNT_ID = "123456789012";

    private final HttpServer server;
    private volatile int callerIdentityCalls;

    private StsStandIn(HttpServer server) {
        this.server = server;
    }

    static StsStandIn start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        StsStandIn sts = new StsStandIn(server);
        server.createContext("/", sts::handle);
        server.start();
        return sts;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int callerIdentityCalls() {
        return callerIdentityCalls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] answer;
        int status;
        if (body.contains("Action=GetCallerIdentity")) {
            callerIdentityCalls++;
            status = 200;
            answer = ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                    + "<GetCallerIdentityResult><Arn>arn:aws:iam::" + ACCOUNT_ID + ":user/ci</Arn>"
                    + "<UserId>AIDACI</UserId><Account>" + ACCOUNT_ID + "</Account></GetCallerIdentityResult>"
                    + "<ResponseMetadata><RequestId>ci</RequestId></ResponseMetadata></GetCallerIdentityResponse>")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            status = 400;
            answer = ("<ErrorResponse><Error><Code>InvalidAction</Code><Message>stand-in answers only"
                    + " GetCallerIdentity</Message></Error></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
