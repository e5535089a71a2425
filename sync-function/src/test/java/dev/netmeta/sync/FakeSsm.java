package dev.netmeta.sync;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** SSM's GetParameter over a map of parameter values; a name not in it is SSM's ParameterNotFound (400). */
final class FakeSsm implements SsmClient {

    private final Map<String, String> values;
    final AtomicInteger calls = new AtomicInteger();

    FakeSsm(Map<String, String> values) {
        this.values = values;
    }

    @Override
    public GetParameterResponse getParameter(GetParameterRequest request) {
        calls.incrementAndGet();
        String value = values.get(request.name());
        if (value == null) {
            throw (ParameterNotFoundException) ParameterNotFoundException.builder().statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ParameterNotFound").build()).build();
        }
        return GetParameterResponse.builder().parameter(p -> p.name(request.name()).value(value)).build();
    }

    @Override
    public String serviceName() {
        return "ssm";
    }

    @Override
    public void close() {
    }
}
