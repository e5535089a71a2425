package dev.netmeta.sync;

import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * One SSM Parameter Store value (SecureStrings decrypted), fetched on first use and then kept for the life of the
 * container — never in a field initialiser, so a snapshot or a cold start makes no call before the first invocation
 * that needs it. A failed fetch is not kept: the next use asks again. Used for the FTP password
 * ({@link SsmSecretSource}) and the FTPS server's trusted certificates ({@link FtpTrust}).
 */
final class SsmParameter {

    private final Supplier<SsmClient> client;
    private final String name;
    private final String what;
    private volatile String cached;

    /** @param what what the value is, for errors: "the FTP password" */
    SsmParameter(Supplier<SsmClient> client, String name, String what) {
        this.client = client;
        this.name = name;
        this.what = what;
    }

    String name() {
        return name;
    }

    String value() {
        String v = cached;
        if (v == null) {
            synchronized (this) {
                if (cached == null) {
                    cached = fetch();
                }
                v = cached;
            }
        }
        return v;
    }

    private String fetch() {
        try {
            return client.get().getParameter(GetParameterRequest.builder().name(name).withDecryption(true).build())
                    .parameter().value();
        } catch (SsmException e) {
            // the error code only: ParameterNotFound, AccessDeniedException, … never a value
            throw new SyncException("Cannot read " + what + " from SSM parameter '" + name + "': "
                    + e.awsErrorDetails().errorCode() + " (" + e.statusCode() + ")", null);
        }
    }
}
