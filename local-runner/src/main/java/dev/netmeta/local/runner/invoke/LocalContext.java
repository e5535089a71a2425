package dev.netmeta.local.runner.invoke;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.util.function.IntSupplier;

/**
 * The Lambda {@link Context} of one local invocation: a request id and the remaining time until the deadline set by the
 * function's timeout (as told by the runner's {@link ContextClock}).
 */
final class LocalContext implements Context {

    private final String requestId;
    private final String functionName;
    private final String arn;
    private final IntSupplier remainingTime;
    private final int memoryMb;
    private final LambdaLogger logger;

    LocalContext(String requestId, String functionName, String arn, IntSupplier remainingTime, int memoryMb, LambdaLogger logger) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.arn = arn;
        this.remainingTime = remainingTime;
        this.memoryMb = memoryMb;
        this.logger = logger;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
    @Override public String getLogStreamName() { return "local/[$LATEST]" + requestId.substring(0, 8); }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return arn; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getMemoryLimitInMB() { return memoryMb; }
    @Override public LambdaLogger getLogger() { return logger; }

    @Override
    public int getRemainingTimeInMillis() {
        return remainingTime.getAsInt();
    }
}
