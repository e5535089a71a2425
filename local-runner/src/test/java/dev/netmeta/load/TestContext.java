package dev.netmeta.load;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;

/**
 * A Lambda {@link Context} whose remaining time is a function of how often it was asked — deterministic, unlike
 * a wall clock: {@code TestContext.runningOutAfter(3)} has plenty of time for three clock checks, then less than the
 * time margin of the tests' environment (60 s, {@link LoadTestEnvironment}) but enough to flush what is in flight.
 * {@code TestContext.realTime(ms)} is a real clock: the time left until a deadline {@code ms} from now.
 */
final class TestContext implements Context {

    private final AtomicInteger checks = new AtomicInteger();
    private final IntToLongFunction remaining;

    private TestContext(IntToLongFunction remaining) {
        this.remaining = remaining;
    }

    static TestContext plentyOfTime() {
        return new TestContext(n -> 900_000);
    }

    static TestContext runningOutAfter(int checks) {
        return new TestContext(n -> n <= checks ? 900_000 : 50_000);
    }

    static TestContext realTime(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        return new TestContext(n -> deadline - System.currentTimeMillis());
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) remaining.applyAsLong(checks.incrementAndGet());
    }

    @Override
    public String getAwsRequestId() {
        return "test-request";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/netmeta-load";
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return "netmeta-load";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:netmeta-load";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
