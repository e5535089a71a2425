package dev.netmeta.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The user and password of {@code --ftp-url} and {@code --opensearch-url}, as the servers are to get them. */
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
}
