package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

class KeepAliveSocketFactoryTest {

    @Test
    void socketsProbeAfterAMinuteOfSilenceNotAfterTheKernelsTwoHours() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket s = new KeepAliveSocketFactory().createSocket(server.getInetAddress(), server.getLocalPort())) {
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getKeepAlive()).isTrue();
            assumeTrue(s.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE), "platform without TCP_KEEPIDLE");
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(60);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(30);
        }
    }

    @Test
    void unconnectedSocketsAsCommonsNetCreatesThemForPassiveDataAreConfiguredToo() throws Exception {
        try (Socket s = new KeepAliveSocketFactory().createSocket()) {
            assertThat(s.getKeepAlive()).isTrue();
        }
    }
}
