package dev.netmeta.load.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.ContinuationScheduler;
import dev.netmeta.load.LoadContinuation;
import dev.netmeta.load.RemoteCallFailedException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Asynchronous invoke ({@code InvocationType.EVENT}) of the {@code loadContinue} function with the continuation as
 * JSON. Lambda queues it and retries it on failure; a lost continuation would leave a report saying CONTINUING.
 */
public final class LambdaContinuationScheduler implements ContinuationScheduler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaClient lambda;
    private final String functionName;

    public LambdaContinuationScheduler(LambdaClient lambda, String functionName) {
        this.lambda = lambda;
        this.functionName = functionName;
    }

    @Override
    public void schedule(LoadContinuation continuation) {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(continuation);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        InvokeResponse response;
        try {
            response = lambda.invoke(b -> b.functionName(functionName)
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArray(payload)));
        } catch (SdkException e) {
            // throttling, a 5xx, the network: the invocation fails retryably instead of leaving the file half loaded
            throw new RemoteCallFailedException("async invoke of " + functionName + " failed: " + e.getMessage(), e);
        }
        if (response.statusCode() != 202) {
            throw new RemoteCallFailedException("async invoke of " + functionName + " answered "
                    + response.statusCode(), null);
        }
    }
}
