package dev.netmeta.sync;

import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * The password from an SSM Parameter Store SecureString, decrypted, fetched on first use and then kept for the
 * life of the container (never in a field initialiser, so a SnapStart snapshot or a cold start holds no secret
 * and makes no call before the first invocation).
 */
public final class SsmSecretSource implements SecretSource {

    private final Supplier<SsmClient> client;
    private final String parameterName;
    private volatile String cached;

    public SsmSecretSource(Supplier<SsmClient> client, String parameterName) {
        this.client = client;
        this.parameterName = parameterName;
    }

    @Override
    public String password() {
        String p = cached;
        if (p == null) {
            synchronized (this) {
                if (cached == null) {
                    cached = fetch();
                }
                p = cached;
            }
        }
        return p;
    }

    @Override
    public String ifFetched() {
        return cached;
    }

    private String fetch() {
        try {
            return SecretSource.withoutTrailingLineBreaks(client.get().getParameter(GetParameterRequest.builder()
                    .name(parameterName).withDecryption(true).build()).parameter().value());
        } catch (SsmException e) {
            throw new SyncException("Cannot read the FTP password from SSM parameter '" + parameterName + "': "
                    + e.awsErrorDetails().errorCode() + " (" + e.statusCode() + ")", null);
        }
    }

    @Override
    public String toString() {
        return "SsmSecretSource[" + parameterName + "]";
    }
}
