package dev.netmeta.local.testing;

import dev.netmeta.local.server.SelfSignedCertificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Names a test certificate's trust store in {@code javax.net.ssl.trustStore} while {@code build} runs, then puts the
 * JVM's settings back. For clients with no trust-store setting of their own (the AWS SDK's url-connection client
 * without TLS options): they trust what those properties name when their TLS context is made, i.e. at build time —
 * how an operator makes a JVM trust a private CA.
 */
public final class JvmTrustStore {

    private static final List<String> PROPERTIES = List.of("javax.net.ssl.trustStore",
            "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType");

    private JvmTrustStore() {
    }

    public static <T> T whileBuilding(SelfSignedCertificate certificate, Supplier<T> build) {
        synchronized (System.getProperties()) {
            Map<String, String> saved = new HashMap<>();
            PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
            try {
                System.setProperty("javax.net.ssl.trustStore", certificate.trustStore().toString());
                System.setProperty("javax.net.ssl.trustStorePassword", certificate.trustStorePassword());
                System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
                return build.get();
            } finally {
                saved.forEach((k, v) -> {
                    if (v == null) {
                        System.clearProperty(k);
                    } else {
                        System.setProperty(k, v);
                    }
                });
            }
        }
    }
}
