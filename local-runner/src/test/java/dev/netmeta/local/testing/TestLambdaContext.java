package dev.netmeta.local.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;

/**
 * A Lambda {@link Context} for tests that call a handler directly. Its remaining time is either a real clock
 * ({@link #realTime}) or a function of how often it was asked ({@link #byChecks}, {@link #runningOutAfter}) —
 * deterministic, so a test about the Lambda clock does not depend on how fast the machine is.
 */
public final class TestLambdaContext implements Context {

    private final AtomicInteger checks = new AtomicInteger();
    private final IntToLongFunction remaining;
    private final String requestId = UUID.randomUUID().toString();

    private TestLambdaContext(IntToLongFunction remaining) {
        this.remaining = remaining;
    }

    /** The 15 minutes of a Lambda timeout, for every check. */
    public static TestLambdaContext plentyOfTime() {
        return byChecks(n -> 900_000);
    }

    /** A real clock: the time left until a deadline {@code millis} from now. */
    public static TestLambdaContext realTime(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        return byChecks(n -> deadline - System.currentTimeMillis());
    }

    /** Plenty of time for the first {@code checks} readings, then {@code thenMillis} for every later one. */
    public static TestLambdaContext runningOutAfter(int checks, long thenMillis) {
        return byChecks(n -> n <= checks ? 900_000 : thenMillis);
    }

    /** The remaining time as a function of the 1-based number of the reading. */
    public static TestLambdaContext byChecks(IntToLongFunction remainingByCheck) {
        return new TestLambdaContext(remainingByCheck);
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, remaining.applyAsLong(checks.incrementAndGet()));
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/netmeta-it";
    }

    @Override
    public String getLogStreamName() {
        return "it";
    }

    @Override
    public String getFunctionName() {
        return "netmeta-it";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:netmeta-it";
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
