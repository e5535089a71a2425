package dev.netmeta.local.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aRangeStartsAtAPortFreeOnLoopbackAndSpansAHundredPortsWithinTheValidOnes() throws IOException {
        String range = FreePorts.range();
        assertThat(range).matches("\\d+-\\d+");
        int from = Integer.parseInt(range.substring(0, range.indexOf('-')));
        int to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
        assertThat(to).isEqualTo(Math.min(65_535, from + FreePorts.RANGE_SIZE - 1)).isGreaterThanOrEqualTo(from);
        try (ServerSocket first = new ServerSocket(from, 1, InetAddress.getLoopbackAddress())) {
            assertThat(first.getLocalPort()).as("the range's first port was free").isEqualTo(from);
        }
    }
}
