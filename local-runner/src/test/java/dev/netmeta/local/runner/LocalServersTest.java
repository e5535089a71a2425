package dev.netmeta.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user and password of {@code --ftp-url} and {@code --opensearch-url}, and the keys and region of
 * {@code --s3-endpoint}, as the servers are to get them.
 */
class LocalServersTest {

    @Test
    void aPlusInThePasswordStaysAPlus() {
        // URLDecoder (form data) made it a space: ftp://u:a+b@host logged in as "a b" and every sync run failed
        assertThat(LocalServers.userInfo(URI.create("ftp://someone:pass+word@127.0.0.1:2121/in")))
                .containsExactly("someone", "pass+word");
        assertThat(LocalServers.userInfo(URI.create("http://ad+min:s3cr3t@localhost:9200")))
                .containsExactly("ad+min", "s3cr3t");
    }

    @Test
    void percentEscapesAreDecodedSoReservedCharactersCanBeGiven() {
        assertThat(LocalServers.userInfo(URI.create("ftps://me%40example.net:p%3Aw%2B%25d@ftp.example.net/")))
                .containsExactly("me@example.net", "p:w+%d");
        assertThat(LocalServers.userInfo(URI.create("ftp://anonymous@ftp.example.net/")))
                .as("no password").containsExactly("anonymous", "");
        assertThat(LocalServers.userInfo(URI.create("ftp://ftp.example.net/"))).as("no user info").isNull();
    }

    @Test
    void anExternalS3EndpointTakesABlankRegionOrKeyAsUnset() {
        URI endpoint = URI.create("http://127.0.0.1:9000");
        Backends.S3 blank = LocalServers.externalS3(endpoint,
                Map.of("AWS_REGION", "", "AWS_ACCESS_KEY_ID", " ", "AWS_SECRET_ACCESS_KEY", ""));
        assertThat(blank.region()).as("AWS_REGION= in a shell").isEqualTo("us-east-1");
        assertThat(blank.accessKey()).isNull();
        assertThat(blank.secretKey()).isNull();

        Backends.S3 set = LocalServers.externalS3(endpoint,
                Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "key", "AWS_SECRET_ACCESS_KEY", "secret"));
        assertThat(set.region()).isEqualTo("eu-west-1");
        assertThat(set.accessKey()).isEqualTo("key");
        assertThat(set.secretKey()).isEqualTo("secret");
    }
}
