package dev.netmeta.sync;

import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** Asynchronous self-invocation ({@code InvocationType.EVENT}) of this function through the Lambda API. */
public final class LambdaSelfInvoker implements SelfInvoker {

    private final Supplier<LambdaClient> lambda;
    private final String functionName;

    public LambdaSelfInvoker(Supplier<LambdaClient> lambda, String functionName) {
        this.lambda = lambda;
        this.functionName = functionName;
    }

    @Override
    public void invokeAsync(String payloadJson) {
        InvokeResponse r = lambda.get().invoke(b -> b.functionName(functionName)
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payloadJson)));
        if (r.statusCode() != 202) {
            throw new IllegalStateException("Lambda did not accept the asynchronous invocation of " + functionName
                    + ": HTTP " + r.statusCode());
        }
    }
}
