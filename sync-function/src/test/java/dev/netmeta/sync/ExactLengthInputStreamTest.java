package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExactLengthInputStreamTest {

    @Test
    void exactLengthPassesThrough() throws IOException {
        ExactLengthInputStream in = new ExactLengthInputStream(new ByteArrayInputStream(new byte[100]), 100);
        assertThat(in.readAllBytes()).hasSize(100);
        assertThat(in.count()).isEqualTo(100);
    }

    @Test
    void growingFileIsDetectedAsSoonAsExtraBytesArrive() {
        ExactLengthInputStream in = new ExactLengthInputStream(new ByteArrayInputStream(new byte[101]), 100);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(FileChangedException.class).hasMessageContaining("still being written");
    }

    @Test
    void readerStoppingAtTheExpectedLengthStillSeesTheGrowth() {
        // e.g. an HTTP body of fixed length reads exactly 100 bytes and never asks for the end
        ExactLengthInputStream in = new ExactLengthInputStream(new ByteArrayInputStream(new byte[150]), 100);
        assertThatThrownBy(() -> in.read(new byte[100], 0, 100)).isInstanceOf(FileChangedException.class);
    }

    @Test
    void endIsConfirmedWithTheLastByte() throws IOException {
        ExactLengthInputStream in = new ExactLengthInputStream(new ByteArrayInputStream(new byte[100]), 100);
        assertThat(in.read(new byte[100], 0, 100)).isEqualTo(100);
        assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void shortDataIsDetectedAtTheEnd() throws IOException {
        ExactLengthInputStream in = new ExactLengthInputStream(new ByteArrayInputStream(new byte[99]), 100);
        assertThat(in.read(new byte[200], 0, 200)).isEqualTo(99);
        assertThatThrownBy(() -> in.read(new byte[10], 0, 10)).isInstanceOf(FileChangedException.class)
                .hasMessageContaining("99 of the listed 100");
    }
}
