package dev.netmeta.sync;

import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The password from an SSM Parameter Store SecureString, decrypted, fetched on first use and then kept for the
 * life of the container ({@link SsmParameter}: a SnapStart snapshot or a cold start holds no secret and makes no
 * call before the first invocation).
 */
public final class SsmSecretSource implements SecretSource {

    private final SsmParameter parameter;
    private volatile String password;

    public SsmSecretSource(Supplier<SsmClient> client, String parameterName) {
        this.parameter = new SsmParameter(client, parameterName, "the FTP password");
    }

    @Override
    public String password() {
        String p = password;
        if (p == null) {
            p = SecretSource.withoutTrailingLineBreaks(parameter.value());
            password = p;
        }
        return p;
    }

    @Override
    public String ifFetched() {
        return password;
    }

    @Override
    public String toString() {
        return "SsmSecretSource[" + parameter.name() + "]";
    }
}
